
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'card.agent': `Assistance`,
'card.dismiss': `Fermer`,
'card.label': `Message de discussion`,
'launcher.close': `Fermer la discussion`,
'launcher.open': `Ouvrir la discussion`,
'launcher.unread.one': `Ouvrir la discussion, 1 message non lu`,
'launcher.unread.other': str`Ouvrir la discussion, ${0} messages non lus`,
'panel.agent': `Conseiller`,
'panel.announce': str`Nouveau message de ${0} : ${1}`,
'panel.auth_closed': `Cette session de discussion est terminée.`,
'panel.auth_closed.hint': `Rechargez la page pour démarrer une nouvelle conversation.`,
'panel.composer.disabled': `Connexion à la discussion…`,
'panel.composer.label': `Votre message`,
'panel.composer.placeholder': `Écrivez un message…`,
'panel.connecting': `Connexion…`,
'panel.disconnected': `Vous êtes hors ligne. Les messages seront envoyés au retour de la connexion.`,
'panel.failed': `La discussion n’a pas pu démarrer.`,
'panel.failed_send': `Non envoyé`,
'panel.history': `Conversations passées`,
'panel.history.back': `Retour au chat`,
'panel.history.current': `En cours`,
'panel.history.failed': `Les conversations n’ont pas pu être chargées.`,
'panel.history.readonly': `Une conversation passée, en lecture seule. Écrivez dans le chat pour nous parler.`,
'panel.history.resolved': `Résolue`,
'panel.loading': `Chargement…`,
'panel.messages': `Messages`,
'panel.minimize': `Réduire la discussion`,
'panel.offline': `Nous vous répondrons dès que possible`,
'panel.online': `Nous sommes en ligne`,
'panel.outbox_full': `Trop de messages attendent d’être envoyés. Veuillez patienter jusqu’au retour de la connexion.`,
'panel.rating.ask': `Cette conversation a été résolue. Comment nous sommes-nous débrouillés ?`,
'panel.rating.bad': `Mauvais`,
'panel.rating.comment': `Commentaire (facultatif)`,
'panel.rating.failed': `Votre note n’a pas pu être envoyée. Veuillez réessayer.`,
'panel.rating.good': `Bien`,
'panel.rating.send': `Envoyer la note`,
'panel.rating.thanks': `Merci pour votre avis !`,
'panel.reconnecting': `Connexion perdue. Reconnexion…`,
'panel.reply_time.day': str`${0}, répond généralement en moins d'une journée`,
'panel.reply_time.hours': str`${0}, répond généralement en quelques heures`,
'panel.reply_time.minutes': str`${0}, répond généralement en quelques minutes`,
'panel.retry': `Réessayer`,
'panel.send': `Envoyer`,
'panel.sending': `Envoi…`,
'panel.sent': `Envoyé`,
'panel.title': `Discussion`,
'panel.typing': `Un conseiller écrit…`,
'panel.typing.named': str`${0} est en train d’écrire…`,
'panel.you': `Vous`,
    };
  