
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'card.agent': `サポート`,
'card.dismiss': `閉じる`,
'card.label': `チャットメッセージ`,
'launcher.close': `チャットを閉じる`,
'launcher.open': `チャットを開く`,
'launcher.unread.one': `チャットを開く、未読メッセージ 1 件`,
'launcher.unread.other': str`チャットを開く、未読メッセージ ${0} 件`,
'panel.agent': `担当者`,
'panel.announce': str`${0} からの新しいメッセージ: ${1}`,
'panel.auth_closed': `このチャットセッションは終了しました。`,
'panel.auth_closed.hint': `新しい会話を始めるにはページを再読み込みしてください。`,
'panel.composer.disabled': `チャットに接続中…`,
'panel.composer.label': `メッセージ本文`,
'panel.composer.placeholder': `メッセージを入力…`,
'panel.connecting': `接続中…`,
'panel.disconnected': `オフラインです。接続が回復するとメッセージが送信されます。`,
'panel.failed': `チャットを開始できませんでした。`,
'panel.failed_send': `送信できませんでした`,
'panel.history': `過去の会話`,
'panel.history.back': `チャットに戻る`,
'panel.history.current': `現在の会話`,
'panel.history.failed': `会話を読み込めませんでした。`,
'panel.history.readonly': `過去の会話（閲覧のみ）です。お問い合わせはチャットに書き込んでください。`,
'panel.history.resolved': `解決済み`,
'panel.loading': `読み込み中…`,
'panel.messages': `メッセージ`,
'panel.minimize': `チャットを最小化`,
'panel.offline': `できるだけ早く返信します`,
'panel.online': `オンライン対応中`,
'panel.outbox_full': `送信待ちのメッセージが多すぎます。接続が回復するまでお待ちください。`,
'panel.rating.ask': `この会話は解決済みになりました。対応はいかがでしたか？`,
'panel.rating.bad': `悪い`,
'panel.rating.comment': `コメント（任意）`,
'panel.rating.failed': `評価を送信できませんでした。もう一度お試しください。`,
'panel.rating.good': `良い`,
'panel.rating.send': `評価を送信`,
'panel.rating.thanks': `フィードバックをありがとうございます！`,
'panel.reconnecting': `接続が切れました。再接続しています…`,
'panel.reply_time.day': str`${0}、通常は1日以内に返信します`,
'panel.reply_time.hours': str`${0}、通常は数時間以内に返信します`,
'panel.reply_time.minutes': str`${0}、通常は数分以内に返信します`,
'panel.retry': `再試行`,
'panel.send': `送信`,
'panel.sending': `送信中…`,
'panel.sent': `送信済み`,
'panel.title': `チャット`,
'panel.typing': `担当者が入力中…`,
'panel.typing.named': str`${0} が入力中…`,
'panel.you': `あなた`,
    };
  