"""What a user types to the console in each language, for the tests that run every locale.

Each phrase is written the way a speaker of the language would type it (capitals, commas,
apostrophes and all); the streak, tip and support phrases are samples of the models.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrasebook:
    """One language's side of the conversations in `test_every_locale`."""

    launch: str  # "Alexa, open <invocation name>" as the language says it
    yes: str
    day_log: str  # no contact, exercise and a confidence of eight, in one breath
    streak: str  # a StreakIntent sample
    tip: str  # a DailyTipIntent sample
    support: str  # a SupportIntent sample
    log_request: str  # a LogDayIntent sample without slots
    necessary_contact: str  # an answer meaning NECESSARY to the contact question
    friends: str  # an answer meaning FRIENDS to the activity question
    seven: str  # the number word for 7
    one_shot: str  # "ask <invocation name> how many days", answered by StreakIntent
    nine_pm: str  # a time Alexa resolves to 21:00


PHRASEBOOKS: dict[str, Phrasebook] = {
    "en": Phrasebook(
        launch="Alexa, open Comeback Coach",
        yes="yes",
        day_log="No contact today, I went to the gym, I feel eight",
        streak="what's my streak",
        tip="give me today's tip",
        support="I can't go on",
        log_request="log my day",
        necessary_contact="only about the kids",
        friends="I saw my friends",
        seven="seven",
        one_shot="ask Comeback Coach how many days",
        nine_pm="nine pm",
    ),
    "de": Phrasebook(
        launch="Alexa, öffne Liebeskummer Coach",
        yes="ja",
        day_log="Kein Kontakt heute, ich habe Sport gemacht und fühle mich wie eine Acht",
        streak="Wie ist meine Serie?",
        tip="Gib mir den Tipp des Tages",
        support="Ich kann nicht mehr",
        log_request="Trag meinen Tag ein",
        necessary_contact="nur wegen der Kinder",
        friends="mit Freunden",
        seven="sieben",
        one_shot="Alexa, frag Liebeskummer Coach, wie viele Tage",
        nine_pm="neun Uhr abends",
    ),
    "es": Phrasebook(
        launch="Alexa, abre mentor del desamor",
        yes="sí",
        day_log="Sin contacto hoy, fui al gimnasio y me siento en un ocho",
        streak="¿Cuántos días llevo sin contacto?",
        tip="Dame el consejo de hoy",
        support="No puedo más",
        log_request="Registra mi día",
        necessary_contact="solo por los niños",
        friends="vi a mis amigos",
        seven="siete",
        one_shot="Alexa, pregúntale a mentor del desamor cuántos días llevo",
        nine_pm="nueve de la noche",
    ),
    "fr": Phrasebook(
        launch="Alexa, ouvre coach après rupture",
        yes="oui",
        day_log="Aucun contact aujourd'hui, j'ai fait du sport et je me sens à huit",
        streak="Où en est ma série ?",
        tip="Donne-moi le conseil du jour",
        support="Je n'en peux plus",
        log_request="Note ma journée",
        necessary_contact="juste pour les enfants",
        friends="j'ai vu des amis",
        seven="sept",
        one_shot="Alexa, demande à coach après rupture combien de jours",
        nine_pm="neuf heures du soir",
    ),
    "it": Phrasebook(
        launch="Alexa, apri coach del cuore",
        yes="sì",
        day_log="Nessun contatto oggi, ho fatto sport e mi sento a otto",
        streak="Quanti giorni sono passati?",
        tip="Dammi il consiglio del giorno",
        support="Non ce la faccio più",
        log_request="Registra la mia giornata",
        necessary_contact="solo per i figli",
        friends="ho visto gli amici",
        seven="sette",
        one_shot="Alexa, chiedi a coach del cuore quanti giorni sono passati",
        nine_pm="nove di sera",
    ),
    "nl": Phrasebook(
        launch="Alexa, open Sterker na de Breuk",
        yes="ja",
        day_log="Geen contact vandaag, ik heb gesport en ik voel me een acht",
        streak="Hoeveel dagen is het al?",
        tip="Geef me de tip van vandaag",
        support="Ik kan niet meer",
        log_request="Noteer mijn dag",
        necessary_contact="alleen over de kinderen",
        friends="met vrienden afgesproken",
        seven="zeven",
        one_shot="Alexa, vraag aan Sterker na de Breuk hoeveel dagen",
        nine_pm="negen uur 's avonds",
    ),
    "pt": Phrasebook(
        launch="Alexa, abra volta por cima",
        yes="sim",
        day_log="Nenhum contato hoje, eu fui à academia e me sinto nota oito",
        streak="Quantos dias?",
        tip="Me dá a dica do dia",
        support="Não aguento mais",
        log_request="Registrar meu dia",
        necessary_contact="só sobre os filhos",
        friends="saí com meus amigos",
        seven="sete",
        one_shot="Alexa, pergunte para volta por cima quantos dias",
        nine_pm="nove da noite",
    ),
    "ja": Phrasebook(
        launch="アレクサ、カムバックコーチを開いて",
        yes="はい",
        day_log="連絡なしで筋トレして、自信は八点",
        streak="今何日目？",
        tip="今日のヒントを教えて",
        support="もう限界",
        log_request="今日を記録して",
        necessary_contact="子どものことだけ",
        friends="友達と会った",
        seven="七",
        one_shot="アレクサ、カムバックコーチで連続記録を教えて",
        nine_pm="夜9時",
    ),
    "hi": Phrasebook(
        launch="Alexa, comeback coach खोलो",
        yes="हाँ",
        day_log="आज कोई contact नहीं रहा, मैंने कसरत की और confidence आठ है",
        streak="कितने दिन हुए?",
        tip="आज का tip दो",
        support="मैं ख़ुद को नुकसान पहुँचाना चाहता हूँ",
        log_request="मेरा दिन log करो",
        necessary_contact="सिर्फ़ बच्चों के बारे में",
        friends="दोस्तों से मिला",
        seven="सात",
        one_shot="Alexa, comeback coach से पूछो कितने दिन हुए",
        nine_pm="रात नौ बजे",
    ),
    "ar": Phrasebook(
        launch="أليكسا، افتحي مدرب العودة",
        yes="نعم",
        day_log="لا تواصل اليوم ثم رحت النادي وثقتي ثمانية",
        streak="كم يوم بدون تواصل؟",
        tip="أعطيني نصيحة اليوم",
        support="أبغى أؤذي نفسي",
        log_request="سجلي يومي",
        necessary_contact="بس عن العيال",
        friends="طلعت مع أصحابي",
        seven="سبعة",
        one_shot="أليكسا، اسألي مدرب العودة كم يوم بدون تواصل",
        nine_pm="تسعة مساء",
    ),
}


def phrasebook(locale: str) -> Phrasebook:
    """The phrasebook of a locale's language."""
    return PHRASEBOOKS[locale.split("-")[0]]
