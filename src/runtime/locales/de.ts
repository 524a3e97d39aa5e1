
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'card.agent': `Support`,
'card.dismiss': `Schließen`,
'card.label': `Chatnachricht`,
'launcher.close': `Chat schließen`,
'launcher.open': `Chat öffnen`,
'launcher.unread.one': `Chat öffnen, 1 ungelesene Nachricht`,
'launcher.unread.other': str`Chat öffnen, ${0} ungelesene Nachrichten`,
'panel.agent': `Mitarbeiter`,
'panel.announce': str`Neue Nachricht von ${0}: ${1}`,
'panel.auth_closed': `Diese Chatsitzung wurde beendet.`,
'panel.auth_closed.hint': `Laden Sie die Seite neu, um ein neues Gespräch zu beginnen.`,
'panel.composer.disabled': `Verbindung zum Chat wird hergestellt…`,
'panel.composer.label': `Nachricht`,
'panel.composer.placeholder': `Nachricht schreiben…`,
'panel.connecting': `Verbindung wird hergestellt…`,
'panel.disconnected': `Sie sind offline. Nachrichten werden gesendet, sobald die Verbindung wieder besteht.`,
'panel.failed': `Der Chat konnte nicht gestartet werden.`,
'panel.failed_send': `Nicht gesendet`,
'panel.history': `Frühere Gespräche`,
'panel.history.back': `Zurück zum Chat`,
'panel.history.current': `Aktuell`,
'panel.history.failed': `Die Gespräche konnten nicht geladen werden.`,
'panel.history.readonly': `Ein früheres Gespräch zum Nachlesen. Schreiben Sie im Chat, um mit uns zu sprechen.`,
'panel.history.resolved': `Abgeschlossen`,
'panel.loading': `Wird geladen…`,
'panel.messages': `Nachrichten`,
'panel.minimize': `Chat minimieren`,
'panel.offline': `Wir antworten so schnell wie möglich`,
'panel.online': `Wir sind online`,
'panel.outbox_full': `Zu viele Nachrichten warten auf den Versand. Bitte warten Sie, bis die Verbindung wieder besteht.`,
'panel.rating.ask': `Dieses Gespräch wurde abgeschlossen. Wie waren wir?`,
'panel.rating.bad': `Schlecht`,
'panel.rating.comment': `Kommentar (optional)`,
'panel.rating.failed': `Ihre Bewertung konnte nicht gesendet werden. Bitte versuchen Sie es erneut.`,
'panel.rating.good': `Gut`,
'panel.rating.send': `Bewertung senden`,
'panel.rating.thanks': `Danke für Ihr Feedback!`,
'panel.reconnecting': `Verbindung unterbrochen. Neuer Verbindungsversuch…`,
'panel.reply_time.day': str`${0}, antwortet meist innerhalb eines Tages`,
'panel.reply_time.hours': str`${0}, antwortet meist in wenigen Stunden`,
'panel.reply_time.minutes': str`${0}, antwortet meist in wenigen Minuten`,
'panel.retry': `Erneut versuchen`,
'panel.send': `Senden`,
'panel.sending': `Wird gesendet…`,
'panel.sent': `Gesendet`,
'panel.title': `Chat`,
'panel.typing': `Ein Mitarbeiter schreibt…`,
'panel.typing.named': str`${0} schreibt…`,
'panel.you': `Sie`,
    };
  