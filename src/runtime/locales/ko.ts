
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'card.agent': `상담원`,
'card.dismiss': `닫기`,
'card.label': `채팅 메시지`,
'launcher.close': `채팅 닫기`,
'launcher.open': `채팅 열기`,
'launcher.unread.one': `채팅 열기, 읽지 않은 메시지 1개`,
'launcher.unread.other': str`채팅 열기, 읽지 않은 메시지 ${0}개`,
'panel.agent': `상담원`,
'panel.announce': str`${0}님의 새 메시지: ${1}`,
'panel.auth_closed': `이 채팅 세션이 종료되었습니다.`,
'panel.auth_closed.hint': `새 대화를 시작하려면 페이지를 새로고침하세요.`,
'panel.composer.disabled': `채팅에 연결하는 중…`,
'panel.composer.label': `메시지 내용`,
'panel.composer.placeholder': `메시지를 입력하세요…`,
'panel.connecting': `연결하는 중…`,
'panel.disconnected': `오프라인 상태입니다. 연결이 복구되면 메시지가 전송됩니다.`,
'panel.failed': `채팅을 시작할 수 없습니다.`,
'panel.failed_send': `전송 실패`,
'panel.history': `지난 대화`,
'panel.history.back': `채팅으로 돌아가기`,
'panel.history.current': `현재 대화`,
'panel.history.failed': `대화를 불러오지 못했습니다.`,
'panel.history.readonly': `읽기 전용 지난 대화입니다. 문의하시려면 채팅에 글을 남겨 주세요.`,
'panel.history.resolved': `해결됨`,
'panel.loading': `불러오는 중…`,
'panel.messages': `메시지`,
'panel.minimize': `채팅 최소화`,
'panel.offline': `최대한 빨리 답변드리겠습니다`,
'panel.online': `지금 상담 가능합니다`,
'panel.outbox_full': `전송 대기 중인 메시지가 너무 많습니다. 연결이 복구될 때까지 기다려 주세요.`,
'panel.rating.ask': `이 대화는 해결되었습니다. 상담은 어떠셨나요?`,
'panel.rating.bad': `나쁨`,
'panel.rating.comment': `의견(선택 사항)`,
'panel.rating.failed': `평가를 보내지 못했습니다. 다시 시도해 주세요.`,
'panel.rating.good': `좋음`,
'panel.rating.send': `평가 보내기`,
'panel.rating.thanks': `의견을 보내 주셔서 감사합니다!`,
'panel.reconnecting': `연결이 끊어졌습니다. 다시 연결하는 중…`,
'panel.reply_time.day': str`${0}, 보통 하루 안에 답변합니다`,
'panel.reply_time.hours': str`${0}, 보통 몇 시간 안에 답변합니다`,
'panel.reply_time.minutes': str`${0}, 보통 몇 분 안에 답변합니다`,
'panel.retry': `다시 시도`,
'panel.send': `보내기`,
'panel.sending': `전송 중…`,
'panel.sent': `전송됨`,
'panel.title': `채팅`,
'panel.typing': `상담원이 입력 중…`,
'panel.typing.named': str`${0}님이 입력 중…`,
'panel.you': `나`,
    };
  