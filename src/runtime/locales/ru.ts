
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'card.agent': `Поддержка`,
'card.dismiss': `Скрыть`,
'card.label': `Сообщение чата`,
'launcher.close': `Закрыть чат`,
'launcher.open': `Открыть чат`,
'launcher.unread.one': `Открыть чат, 1 непрочитанное сообщение`,
'launcher.unread.other': str`Открыть чат, непрочитанных сообщений: ${0}`,
'panel.agent': `Оператор`,
'panel.announce': str`Новое сообщение от ${0}: ${1}`,
'panel.auth_closed': `Этот сеанс чата завершён.`,
'panel.auth_closed.hint': `Обновите страницу, чтобы начать новый разговор.`,
'panel.composer.disabled': `Подключение к чату…`,
'panel.composer.label': `Текст сообщения`,
'panel.composer.placeholder': `Напишите сообщение…`,
'panel.connecting': `Подключение…`,
'panel.disconnected': `Вы не в сети. Сообщения будут отправлены, когда соединение восстановится.`,
'panel.failed': `Не удалось запустить чат.`,
'panel.failed_send': `Не отправлено`,
'panel.history': `Прошлые разговоры`,
'panel.history.back': `Вернуться в чат`,
'panel.history.current': `Текущий`,
'panel.history.failed': `Не удалось загрузить разговоры.`,
'panel.history.readonly': `Прошлый разговор, только для чтения. Чтобы написать нам, используйте чат.`,
'panel.history.resolved': `Завершён`,
'panel.loading': `Загрузка…`,
'panel.messages': `Сообщения`,
'panel.minimize': `Свернуть чат`,
'panel.offline': `Мы ответим как можно скорее`,
'panel.online': `Мы на связи`,
'panel.outbox_full': `Слишком много сообщений ждут отправки. Дождитесь восстановления соединения.`,
'panel.rating.ask': `Этот разговор завершён. Как мы справились?`,
'panel.rating.bad': `Плохо`,
'panel.rating.comment': `Комментарий (необязательно)`,
'panel.rating.failed': `Не удалось отправить оценку. Попробуйте ещё раз.`,
'panel.rating.good': `Хорошо`,
'panel.rating.send': `Отправить оценку`,
'panel.rating.thanks': `Спасибо за отзыв!`,
'panel.reconnecting': `Соединение потеряно. Переподключение…`,
'panel.reply_time.day': str`${0}, обычно отвечает в течение дня`,
'panel.reply_time.hours': str`${0}, обычно отвечает в течение нескольких часов`,
'panel.reply_time.minutes': str`${0}, обычно отвечает в течение нескольких минут`,
'panel.retry': `Повторить`,
'panel.send': `Отправить`,
'panel.sending': `Отправка…`,
'panel.sent': `Отправлено`,
'panel.title': `Чат`,
'panel.typing': `Оператор печатает…`,
'panel.typing.named': str`${0} печатает…`,
'panel.you': `Вы`,
    };
  