"""What each notification says, in English, Hindi, Spanish, French and Arabic: subject, plain text and HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

RTL = frozenset({"ar"})

# kind -> language -> (subject, body); {placeholders} come from the notification's data.
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "film_completed": {
        "en": (
            "Your film “{title}” is ready",
            "Your film “{title}” has finished rendering. Watch it here: {link}",
        ),
        "hi": ("आपकी फ़िल्म “{title}” तैयार है", "आपकी फ़िल्म “{title}” बनकर तैयार है। यहाँ देखें: {link}"),
        "es": (
            "Tu película «{title}» está lista",
            "Tu película «{title}» ya está renderizada. Mírala aquí: {link}",
        ),
        "fr": (
            "Votre film « {title} » est prêt",
            "Votre film « {title} » est terminé. Regardez-le ici : {link}",
        ),
        "ar": ("فيلمك «{title}» جاهز", "اكتمل إنتاج فيلمك «{title}». شاهده هنا: {link}"),
    },
    "film_failed": {
        "en": (
            "Your film “{title}” could not be made",
            "Your film “{title}” stopped: {reason}. Open the project to change it and try again: {link}",
        ),
        "hi": (
            "आपकी फ़िल्म “{title}” नहीं बन सकी",
            "आपकी फ़िल्म “{title}” रुक गई: {reason}। प्रोजेक्ट खोलकर बदलाव करें और फिर से कोशिश करें: {link}",
        ),
        "es": (
            "No se pudo crear tu película «{title}»",
            "Tu película «{title}» se detuvo: {reason}. Abre el proyecto, cámbialo y vuelve a intentarlo: {link}",
        ),
        "fr": (
            "Votre film « {title} » n'a pas pu être créé",
            "Votre film « {title} » s'est arrêté : {reason}. Ouvrez le projet, modifiez-le et réessayez : {link}",
        ),
        "ar": (
            "تعذّر إنتاج فيلمك «{title}»",
            "توقف فيلمك «{title}»: {reason}. افتح المشروع وعدّله ثم حاول مرة أخرى: {link}",
        ),
    },
    "credits_low": {
        "en": (
            "You have {balance} credits left",
            "Your balance is down to {balance} credits. Buy more or change your plan so your next film is not held up: {link}",
        ),
        "hi": (
            "आपके पास {balance} क्रेडिट बचे हैं",
            "आपका बैलेंस घटकर {balance} क्रेडिट रह गया है। अगली फ़िल्म न रुके, इसके लिए और क्रेडिट ख़रीदें या प्लान बदलें: {link}",
        ),
        "es": (
            "Te quedan {balance} créditos",
            "Tu saldo ha bajado a {balance} créditos. Compra más o cambia de plan para que tu próxima película no se detenga: {link}",
        ),
        "fr": (
            "Il vous reste {balance} crédits",
            "Votre solde est descendu à {balance} crédits. Achetez-en ou changez de formule pour que votre prochain film ne soit pas bloqué : {link}",
        ),
        "ar": (
            "تبقّى لديك {balance} رصيد",
            "انخفض رصيدك إلى {balance}. اشترِ المزيد أو غيّر خطتك حتى لا يتوقف فيلمك القادم: {link}",
        ),
    },
    "upload_published": {
        "en": ("“{title}” is live on YouTube", "Your film “{title}” is published on YouTube: {url}"),
        "hi": ("“{title}” YouTube पर प्रकाशित हो गई", "आपकी फ़िल्म “{title}” YouTube पर प्रकाशित हो गई है: {url}"),
        "es": ("«{title}» ya está en YouTube", "Tu película «{title}» se ha publicado en YouTube: {url}"),
        "fr": (
            "« {title} » est en ligne sur YouTube",
            "Votre film « {title} » est publié sur YouTube : {url}",
        ),
        "ar": ("«{title}» منشور الآن على YouTube", "نُشر فيلمك «{title}» على YouTube: {url}"),
    },
    "payment_received": {
        "en": (
            "Payment received: {amount}",
            "Thank you. We received your payment of {amount} for {description}.",
        ),
        "hi": (
            "भुगतान प्राप्त हुआ: {amount}",
            "धन्यवाद। {description} के लिए आपका {amount} का भुगतान हमें मिल गया है।",
        ),
        "es": ("Pago recibido: {amount}", "Gracias. Hemos recibido tu pago de {amount} por {description}."),
        "fr": (
            "Paiement reçu : {amount}",
            "Merci. Nous avons bien reçu votre paiement de {amount} pour {description}.",
        ),
        "ar": ("تم استلام الدفعة: {amount}", "شكرًا لك. استلمنا دفعتك بقيمة {amount} مقابل {description}."),
    },
}

GREETING = {
    "en": "Hello {name},",
    "hi": "नमस्ते {name},",
    "es": "Hola, {name}:",
    "fr": "Bonjour {name},",
    "ar": "مرحبًا {name}،",
}
SIGNATURE = {
    "en": "— AI Film Studio",
    "hi": "— एआई फ़िल्म स्टूडियो",
    "es": "— AI Film Studio",
    "fr": "— AI Film Studio",
    "ar": "— استوديو أفلام الذكاء الاصطناعي",
}
SETTINGS_HINT = {
    "en": "Choose which e-mails you get in your notification settings.",
    "hi": "कौन-से ई-मेल मिलें, यह सूचना सेटिंग में चुनें।",
    "es": "Elige qué correos recibes en tus ajustes de notificaciones.",
    "fr": "Choisissez les e-mails que vous recevez dans vos réglages de notifications.",
    "ar": "اختر الرسائل التي تصلك من إعدادات الإشعارات.",
}


@dataclass(frozen=True)
class Message:
    """A rendered notification: subject, plain-text body and HTML body in one language."""

    language: str
    subject: str
    text: str
    html: str


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""  # a field the event did not carry reads as empty, not as a crash


def headline(kind: str, language: str, data: dict[str, Any]) -> tuple[str, str]:
    """(subject, sentence) for the in-app feed and the e-mail, in `language` (English if unknown)."""
    by_language = TEMPLATES[kind]
    subject, body = by_language.get(language, by_language["en"])
    values = _Blank(data)
    return subject.format_map(values), body.format_map(values)


def render(kind: str, language: str, name: str, data: dict[str, Any]) -> Message:
    """The e-mail for one notification."""
    language = language if language in TEMPLATES[kind] else "en"
    subject, body = headline(kind, language, data)
    greeting = GREETING[language].format(name=name)
    text = f"{greeting}\n\n{body}\n\n{SIGNATURE[language]}\n{SETTINGS_HINT[language]}\n"
    direction = "rtl" if language in RTL else "ltr"
    escaped = html.escape(body)
    for key in ("link", "url"):
        target = str(data.get(key) or "")
        if target:
            escaped = escaped.replace(
                html.escape(target), f'<a href="{html.escape(target)}">{html.escape(target)}</a>'
            )
    page = (
        f'<!DOCTYPE html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>"
        f'<body style="font-family:sans-serif"><p>{html.escape(greeting)}</p><p>{escaped}</p>'
        f"<p>{html.escape(SIGNATURE[language])}</p>"
        f'<p style="color:#666;font-size:small">{html.escape(SETTINGS_HINT[language])}</p></body></html>'
    )
    return Message(language, subject, text, page)
