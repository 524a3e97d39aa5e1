
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'card.agent': `Suporte`,
'card.dismiss': `Dispensar`,
'card.label': `Mensagem do chat`,
'launcher.close': `Fechar o chat`,
'launcher.open': `Abrir o chat`,
'launcher.unread.one': `Abrir o chat, 1 mensagem não lida`,
'launcher.unread.other': str`Abrir o chat, ${0} mensagens não lidas`,
'panel.agent': `Atendente`,
'panel.announce': str`Nova mensagem de ${0}: ${1}`,
'panel.auth_closed': `Esta sessão de chat foi encerrada.`,
'panel.auth_closed.hint': `Recarregue a página para iniciar uma nova conversa.`,
'panel.composer.disabled': `Conectando ao chat…`,
'panel.composer.label': `Mensagem`,
'panel.composer.placeholder': `Escreva uma mensagem…`,
'panel.connecting': `Conectando…`,
'panel.disconnected': `Você está offline. As mensagens serão enviadas quando a conexão voltar.`,
'panel.failed': `Não foi possível iniciar o chat.`,
'panel.failed_send': `Não enviada`,
'panel.history': `Conversas anteriores`,
'panel.history.back': `Voltar ao chat`,
'panel.history.current': `Atual`,
'panel.history.failed': `Não foi possível carregar as conversas.`,
'panel.history.readonly': `Uma conversa anterior, somente leitura. Escreva no chat para falar conosco.`,
'panel.history.resolved': `Resolvida`,
'panel.loading': `Carregando…`,
'panel.messages': `Mensagens`,
'panel.minimize': `Minimizar o chat`,
'panel.offline': `Responderemos assim que possível`,
'panel.online': `Estamos online`,
'panel.outbox_full': `Há mensagens demais aguardando envio. Aguarde até a conexão voltar.`,
'panel.rating.ask': `Esta conversa foi resolvida. Como nos saímos?`,
'panel.rating.bad': `Ruim`,
'panel.rating.comment': `Comentário (opcional)`,
'panel.rating.failed': `Não foi possível enviar sua avaliação. Tente novamente.`,
'panel.rating.good': `Bom`,
'panel.rating.send': `Enviar avaliação`,
'panel.rating.thanks': `Obrigado pelo seu feedback!`,
'panel.reconnecting': `Conexão perdida. Reconectando…`,
'panel.reply_time.day': str`${0}, geralmente responde em até um dia`,
'panel.reply_time.hours': str`${0}, geralmente responde em poucas horas`,
'panel.reply_time.minutes': str`${0}, geralmente responde em poucos minutos`,
'panel.retry': `Tentar novamente`,
'panel.send': `Enviar`,
'panel.sending': `Enviando…`,
'panel.sent': `Enviada`,
'panel.title': `Conversa`,
'panel.typing': `O atendente está digitando…`,
'panel.typing.named': str`${0} está digitando…`,
'panel.you': `Você`,
    };
  