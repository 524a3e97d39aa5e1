
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'card.agent': `客服`,
'card.dismiss': `關閉`,
'card.label': `聊天訊息`,
'launcher.close': `關閉聊天`,
'launcher.open': `開啟聊天`,
'launcher.unread.one': `開啟聊天，1 則未讀訊息`,
'launcher.unread.other': str`開啟聊天，${0} 則未讀訊息`,
'panel.agent': `客服`,
'panel.announce': str`來自 ${0} 的新訊息：${1}`,
'panel.auth_closed': `本次對話已結束。`,
'panel.auth_closed.hint': `請重新整理頁面以開始新的對話。`,
'panel.composer.disabled': `正在連線聊天…`,
'panel.composer.label': `訊息內容`,
'panel.composer.placeholder': `輸入訊息…`,
'panel.connecting': `正在連線…`,
'panel.disconnected': `您已離線。連線恢復後訊息將自動傳送。`,
'panel.failed': `聊天無法啟動。`,
'panel.failed_send': `傳送失敗`,
'panel.history': `過往對話`,
'panel.history.back': `返回聊天`,
'panel.history.current': `目前`,
'panel.history.failed': `無法載入對話。`,
'panel.history.readonly': `這是過往的對話，僅供檢視。如需聯絡我們，請在聊天中留言。`,
'panel.history.resolved': `已解決`,
'panel.loading': `載入中…`,
'panel.messages': `訊息`,
'panel.minimize': `收合聊天`,
'panel.offline': `我們會盡快回覆您`,
'panel.online': `我們在線上`,
'panel.outbox_full': `待傳送的訊息過多，請等待連線恢復。`,
'panel.rating.ask': `此對話已解決。您對我們的服務滿意嗎？`,
'panel.rating.bad': `不滿意`,
'panel.rating.comment': `留言（選填）`,
'panel.rating.failed': `您的評價無法送出，請再試一次。`,
'panel.rating.good': `滿意`,
'panel.rating.send': `送出評價`,
'panel.rating.thanks': `感謝您的回饋！`,
'panel.reconnecting': `連線中斷，正在重新連線…`,
'panel.reply_time.day': str`${0}，通常在一天內回覆`,
'panel.reply_time.hours': str`${0}，通常在幾小時內回覆`,
'panel.reply_time.minutes': str`${0}，通常在幾分鐘內回覆`,
'panel.retry': `重試`,
'panel.send': `傳送`,
'panel.sending': `傳送中…`,
'panel.sent': `已傳送`,
'panel.title': `線上諮詢`,
'panel.typing': `客服正在輸入…`,
'panel.typing.named': str`${0} 正在輸入…`,
'panel.you': `我`,
    };
  