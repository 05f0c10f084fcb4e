"""E-mail notifications reach a real SMTP server (aiosmtpd) in the creator's language, and respect preferences."""

from __future__ import annotations

from email.message import EmailMessage
from uuid import UUID

from infra.container import Studio
from processors.backoff import Backoff
from processors.follower import Follower
from processors.notifier import NOTIFY_TYPES, Notifier, SmtpSender
from schemas.commands import CreateProject, RegisterAccount, RequestFilm
from schemas.film import FilmSpec
from schemas.notifications import ChangeNotificationPreferences, EmailChoices, Preferences
from tests.crm.conftest import Mailbox
from tests.support.history import DAG


def register(studio: Studio, email: str, language: str = "en") -> UUID:
    command = RegisterAccount(
        email=email, display_name=email.split("@")[0].title(), password_hash="h", language=language
    )
    return studio.bus.handle(command).aggregate_id


def make_film(studio: Studio, owner: UUID, title: str, script: str = "fine") -> UUID:
    project = studio.bus.handle(
        CreateProject(owner_id=owner, spec=FilmSpec(script=script, title=title))
    ).aggregate_id
    spec = FilmSpec(script=script, title=title)
    return studio.bus.handle(
        RequestFilm(project_id=project, owner_id=owner, spec=spec, stages=DAG)
    ).aggregate_id


def run(studio: Studio, notifier: Notifier, sender: SmtpSender | None = None) -> None:
    followers = [
        *studio.embedded_followers(),
        Follower("notifier", studio.store, notifier.handle, NOTIFY_TYPES),
    ]
    while sum(f.run_once() for f in followers):
        pass
    studio.projector.run_until_idle()
    if sender is not None:
        sender.run_until_idle()


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert text is not None and page is not None
    return str(text.get_content()), str(page.get_content())


def sender_for(studio: Studio, port: int, **options: object) -> SmtpSender:
    return SmtpSender(studio.views, "127.0.0.1", port, "Studio <studio@example.com>", **options)  # type: ignore[arg-type]


def test_completed_and_failed_films_send_plain_and_html_mail_in_the_creators_language(
    studio: Studio, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    notifier = Notifier(studio.store, studio.views, "https://films.example.com")
    notifier.setup()
    amira = register(studio, "amira@example.com", language="ar")
    claire = register(studio, "claire@example.com", language="fr")
    make_film(studio, amira, "البحر")
    make_film(studio, claire, "Le Phare", script="please fail")
    run(studio, notifier, sender_for(studio, port))

    by_recipient = {m["To"]: m for m in mailbox.messages}
    assert sorted(by_recipient) == ["amira@example.com", "claire@example.com"]
    arabic = by_recipient["amira@example.com"]
    assert arabic["Subject"] == "فيلمك «البحر» جاهز"
    text, page = parts(arabic)
    assert "اكتمل إنتاج فيلمك «البحر»" in text and "https://films.example.com/films/" in text
    assert 'lang="ar" dir="rtl"' in page and '<a href="https://films.example.com/films/' in page
    french = by_recipient["claire@example.com"]
    assert french["Subject"] == "Votre film « Le Phare » n'a pas pu être créé"
    text, page = parts(french)
    assert "no voice for that language" in text and "réessayez" in text
    assert 'lang="fr" dir="ltr"' in page and "réessayez" in page


def test_turning_an_email_kind_off_stops_that_mail_but_keeps_the_others(
    studio: Studio, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    notifier = Notifier(studio.store, studio.views, "http://127.0.0.1:8000")
    notifier.setup()
    ravi = register(studio, "ravi@example.com")
    choices = EmailChoices(film_completed=False)
    studio.bus.handle(
        ChangeNotificationPreferences(account_id=ravi, preferences=Preferences(language="hi", email=choices))
    )
    make_film(studio, ravi, "One")
    make_film(studio, ravi, "Two", script="please fail")
    run(studio, notifier, sender_for(studio, port))

    assert [m["Subject"] for m in mailbox.messages] == ["आपकी फ़िल्म “Two” नहीं बन सकी"]
    feed = studio.views.query(
        "SELECT kind FROM notifications WHERE account_id = %s ORDER BY position", (str(ravi),)
    )
    assert sorted(r["kind"] for r in feed) == ["film_completed", "film_failed"]  # the feed keeps both


def test_smtp_refusals_back_off_and_every_mail_arrives_once(
    studio: Studio, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    notifier = Notifier(studio.store, studio.views, "http://127.0.0.1:8000")
    notifier.setup()
    owner = register(studio, "sam@example.com", language="es")
    for i in range(3):
        make_film(studio, owner, f"Film {i}")
    mailbox.refuse = 4
    waits: list[float] = []
    sender = sender_for(studio, port, backoff=Backoff(0.5, 4.0), sleep=waits.append)
    run(studio, notifier, sender)
    run(studio, notifier, sender)  # a second pass over the same events sends nothing more

    assert sorted(m["Subject"] for m in mailbox.messages) == [
        f"Tu película «Film {i}» está lista" for i in range(3)
    ]
    assert waits == [0.5, 1.0, 2.0, 4.0]
    assert len({m["Message-ID"] for m in mailbox.messages}) == 3


def test_smtp_server_down_keeps_mail_in_the_outbox_until_it_is_back(
    studio: Studio, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    notifier = Notifier(studio.store, studio.views, "http://127.0.0.1:8000")
    notifier.setup()
    owner = register(studio, "lee@example.com")
    make_film(studio, owner, "Offline")
    from tests.support.postgres import free_port

    waits: list[float] = []
    down = sender_for(studio, free_port(), backoff=Backoff(1.0, 8.0), sleep=waits.append)
    run(studio, notifier)
    for _ in range(5):
        down.send_pending()
    assert mailbox.messages == [] and waits == [1.0, 2.0, 4.0, 8.0, 8.0]
    sender_for(studio, port).run_until_idle()
    assert [m["To"] for m in mailbox.messages] == ["lee@example.com"]
