
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'card.agent': `客服`,
'card.dismiss': `关闭`,
'card.label': `聊天消息`,
'launcher.close': `关闭聊天`,
'launcher.open': `打开聊天`,
'launcher.unread.one': `打开聊天，1 条未读消息`,
'launcher.unread.other': str`打开聊天，${0} 条未读消息`,
'panel.agent': `客服`,
'panel.announce': str`来自 ${0} 的新消息：${1}`,
'panel.auth_closed': `本次会话已结束。`,
'panel.auth_closed.hint': `请刷新页面以开始新的对话。`,
'panel.composer.disabled': `正在连接聊天…`,
'panel.composer.label': `消息内容`,
'panel.composer.placeholder': `输入消息…`,
'panel.connecting': `正在连接…`,
'panel.disconnected': `您已离线。网络恢复后消息将自动发送。`,
'panel.failed': `聊天无法启动。`,
'panel.failed_send': `发送失败`,
'panel.history': `以往对话`,
'panel.history.back': `返回聊天`,
'panel.history.current': `当前`,
'panel.history.failed': `无法加载对话。`,
'panel.history.readonly': `这是以往的对话，仅供查看。如需联系我们，请在聊天中留言。`,
'panel.history.resolved': `已解决`,
'panel.loading': `加载中…`,
'panel.messages': `消息`,
'panel.minimize': `收起聊天`,
'panel.offline': `我们会尽快回复您`,
'panel.online': `我们在线`,
'panel.outbox_full': `待发送的消息过多，请等待网络恢复。`,
'panel.rating.ask': `此对话已解决。您对我们的服务满意吗？`,
'panel.rating.bad': `不满意`,
'panel.rating.comment': `评论（可选）`,
'panel.rating.failed': `您的评价未能提交，请重试。`,
'panel.rating.good': `满意`,
'panel.rating.send': `提交评价`,
'panel.rating.thanks': `感谢您的反馈！`,
'panel.reconnecting': `连接已断开，正在重新连接…`,
'panel.reply_time.day': str`${0}，通常在一天内回复`,
'panel.reply_time.hours': str`${0}，通常在几小时内回复`,
'panel.reply_time.minutes': str`${0}，通常在几分钟内回复`,
'panel.retry': `重试`,
'panel.send': `发送`,
'panel.sending': `发送中…`,
'panel.sent': `已发送`,
'panel.title': `在线咨询`,
'panel.typing': `客服正在输入…`,
'panel.typing.named': str`${0} 正在输入…`,
'panel.you': `我`,
    };
  