"""Posts from a first draft to the feed, through the pages and the API over one set of services.

Hana writes in Markdown (rendered, then sanitized: no script, no event handlers, no
javascript: links). A draft is hers alone until she shares it with a friend, who is told and
may comment (and she is told of each comment); anyone else gets 404, as for a post that does
not exist. Publishing tells each existing @mentioned person once; an unknown handle stays
plain text and an email address is no mention. A published post is in the feed of people in
her network, of people who offer or want to learn its skills and of people it mentions,
newest first; on her page under "Writing" and on the mentioned person's under "Mentioned
in"; in the ask composer; and it is evidence on the discovery board."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentormesh.community import services
from mentormesh.community.models import DraftComment, Post, PostStatus
from mentormesh.connect.services import relationship_start
from mentormesh.notifications.models import Notification

KUBERNETES_POST = {
    "title": "What I learned upgrading Kubernetes",
    "body": "Drain **one node** at a time.\n\n- cordon\n- drain\n- upgrade",
    "skills": ["Kubernetes"],
}


def page(response) -> str:
    return response.content.decode()


def prose(response) -> str:
    """The rendered body of the post a page shows."""
    assert response.status_code == 200, response.status_code
    found = re.search(r'<div class="prose">(.*?)</div>', page(response), re.DOTALL)
    assert found, "the post page shows no body"
    return found.group(1)


def feed_titles(response) -> list[str]:
    """The posts the feed page shows, top first."""
    assert response.status_code == 200
    return re.findall(
        r'<li class="card"><h2><a href="/posts/\d+/">([^<]+)</a></h2>', page(response)
    )


def write(author, title="A draft", body="Some words.", skills=()) -> Post:
    return services.post_create(author=author, title=title, body=body, skills=skills)


def publish(post: Post) -> Post:
    return services.post_publish(post_id=post.pk, by=post.author)


def told(user, kind: str) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind=kind)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def section(html: str, title: str) -> str:
    """The links of one section of a person's page (empty when the page has no such section)."""
    found = re.search(
        rf'<section class="card"><h2>{re.escape(title)}</h2><ul class="plain">(.*?)</ul></section>',
        html,
        re.DOTALL,
    )
    return found.group(1) if found else ""


@pytest.fixture
def client_for():
    """A fresh test client logged in as `user` (several people act in one test)."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def draft(hana):
    """Hana's Kubernetes draft, shared with no one yet."""
    return write(hana, **KUBERNETES_POST)


@pytest.fixture
def shared(draft, leo):
    """Hana's draft, shared with Leo for comments."""
    services.post_share(post_id=draft.pk, by=draft.author, handle="leo")
    return draft


# --- Markdown, rendered and sanitized -------------------------------------------------------


def test_markdown_is_rendered_on_the_post_page(hana, client_for):
    """Given Hana writes a post with emphasis, a list, a heading and a link, when she opens
    it, then the page shows them as HTML, the link marked nofollow."""
    post = write(
        hana,
        body="## Steps\n\nDrain **one node** at a time.\n\n- cordon\n- drain\n\n"
        "See [the docs](https://kubernetes.io/docs/).",
    )

    shown = prose(client_for(hana).get(f"/posts/{post.pk}/"))

    assert "<h2>Steps</h2>" in shown
    assert "<strong>one node</strong>" in shown
    assert "<li>cordon</li>" in shown
    link = re.search(r'<a href="https://kubernetes.io/docs/"([^>]*)>the docs</a>', shown)
    assert link and "nofollow" in link.group(1), shown


DANGEROUS = [
    "<script>alert('owned')</script>",
    "<img src=x onerror=\"alert('owned')\">",
    "<svg onload=alert('owned')></svg>",
    "[click me](javascript:alert('owned'))",
    "[click me](JaVaScRiPt:alert('owned'))",
    "<a href=\"javascript:alert('owned')\">click me</a>",
    '[click me](https://example.org "x" onmouseover="alert(\'owned\')")',
    "<p onclick=\"alert('owned')\">hi</p>",
    "![pic](javascript:alert('owned'))",
    "[click me](&#106;avascript:alert('owned'))",
    "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert('owned')>",
]


def no_active_content(html: str) -> None:
    """No script tag, no event-handler attribute, no javascript: or data: link, no image."""
    assert not re.search(r"<script", html, re.IGNORECASE), html
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", html, re.IGNORECASE), html
    assert not re.search(r"""href\s*=\s*["']?\s*(javascript|data):""", html, re.IGNORECASE), html
    assert not re.search(r"<(img|svg|iframe|object|embed)\b", html, re.IGNORECASE), html


@pytest.mark.parametrize("payload", DANGEROUS)
def test_script_event_handlers_and_javascript_links_never_reach_a_page(
    hana, leo, client_for, api, payload
):
    """Given Hana publishes a Kubernetes post carrying script, an event handler or a
    javascript: link, when Leo (who wants to learn Kubernetes) reads it on its page, in his
    feed and through the API, then none of it is active: at most it shows as text."""
    post = publish(
        write(hana, title="Tricks", body=f"Before.\n\n{payload}\n\nAfter.", skills=["Kubernetes"])
    )
    client = client_for(leo)

    shown = prose(client.get(f"/posts/{post.pk}/"))
    feed_page = page(client.get("/posts/"))
    feed_entry = re.search(r'<ul class="posts">(.*?)</ul>', feed_page, re.DOTALL).group(1)
    from_api = api(client, "get", f"/api/posts/{post.pk}").json()["body_html"]

    assert "Before." in shown and "After." in shown
    for html in (shown, feed_entry, from_api):
        no_active_content(html)


def test_a_title_with_markup_is_shown_as_text(hana, client_for):
    """Given a post titled with a script tag, when its page and the feed show the title, then
    it is escaped text."""
    post = publish(write(hana, title="<script>alert('owned')</script>", skills=["Kubernetes"]))
    client = client_for(hana)

    for shown in (page(client.get(f"/posts/{post.pk}/")), page(client.get("/posts/"))):
        assert "<script>alert" not in shown
        assert "&lt;script&gt;alert" in shown


# --- Drafts: the author and the friends it is shared with -----------------------------------


def test_a_draft_is_seen_by_its_author_and_the_friends_it_is_shared_with_only(
    shared, hana, leo, sam, mallory, client_for, api
):
    """Given Hana's draft shared with Leo, when Hana, Leo, Sam and Mallory open it on its page
    and through the API, then Hana and Leo read it and Sam and Mallory get 404."""
    for reader in (hana, leo):
        client = client_for(reader)
        assert client.get(f"/posts/{shared.pk}/").status_code == 200
        response = api(client, "get", f"/api/posts/{shared.pk}")
        assert response.status_code == 200
        assert response.json()["status"] == "draft"
    for outsider in (sam, mallory):
        client = client_for(outsider)
        assert client.get(f"/posts/{shared.pk}/").status_code == 404
        assert api(client, "get", f"/api/posts/{shared.pk}").status_code == 404


def test_someone_elses_draft_by_id_looks_like_a_post_that_does_not_exist(
    draft, sam, client_for, api
):
    """Given Hana's draft, when Sam guesses its id and a missing one through the API, then
    both are 404 with the same words, so he cannot tell the draft is there."""
    client = client_for(sam)
    missing = draft.pk + 1000

    guessed = api(client, "get", f"/api/posts/{draft.pk}")
    nothing = api(client, "get", f"/api/posts/{missing}")

    assert guessed.status_code == nothing.status_code == 404
    assert guessed.json()["detail"].replace(str(draft.pk), "N") == nothing.json()["detail"].replace(
        str(missing), "N"
    )


def test_drafts_are_listed_only_for_the_author_and_friends(shared, hana, leo, sam, client_for):
    """Given Hana's draft shared with Leo, when each opens the posts page, then Hana sees it as
    hers, Leo as shared with him for comments, and Sam does not see it at all."""
    title = KUBERNETES_POST["title"]

    hers = page(client_for(hana).get("/posts/"))
    his = page(client_for(leo).get("/posts/"))
    sams = page(client_for(sam).get("/posts/"))

    assert re.search(rf">{title}</a> <span class=\"muted\">yours", hers)
    assert re.search(rf">{title}</a> <span class=\"muted\">by Hana Kim, shared with you", his)
    assert title not in sams


def test_drafts_are_never_in_the_feed(shared, hana, leo, client_for, api):
    """Given Hana's Kubernetes draft shared with Leo (who wants to learn Kubernetes), when Leo
    reads his feed on the page and through the API, then the draft is in neither."""
    client = client_for(leo)

    assert feed_titles(client.get("/posts/")) == []
    assert api(client, "get", "/api/posts").json() == []


# --- Sharing and comments on a draft --------------------------------------------------------


def test_sharing_a_draft_on_the_page_tells_the_friend(draft, hana, leo, client_for):
    """Given Hana's draft, when she shares it with "@leo" on its page, then she is told it is
    shared, the page lists Leo, and Leo is told with a link to the draft."""
    client = client_for(hana)

    response = client.post(f"/posts/{draft.pk}/share/", {"handle": "@leo"}, follow=True)

    shown = page(response)
    assert "Shared. They can read the draft and comment." in shown
    assert "Shared with @leo." in shown
    (notice,) = Notification.objects.filter(user=leo, kind="draft_review")
    assert notice.text == f"@hana would like your comments on a draft: “{draft.title}”"
    assert notice.url == f"/posts/{draft.pk}/"
    assert client_for(leo).get(notice.url).status_code == 200


def test_sharing_with_a_handle_that_does_not_exist_is_400_naming_the_handle(
    draft, hana, client_for, api
):
    """Given Hana's draft, when she shares it with a handle no one has, then it is 400 naming
    the handle and no one is told."""
    response = api(
        client_for(hana), "post", f"/api/posts/{draft.pk}/share", {"handle": "nobody-here"}
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("handle:")
    assert not draft.reviewers.exists()
    assert not Notification.objects.filter(kind="draft_review").exists()


def test_only_the_author_shares_and_only_a_draft(shared, hana, leo, sam, client_for, api):
    """Given Hana's draft shared with Leo, when Leo shares it on (403), Sam tries (404), and
    Hana shares it after publishing (409), then no one more can read it as a draft or is
    told."""
    by_leo = api(client_for(leo), "post", f"/api/posts/{shared.pk}/share", {"handle": "sam"})
    by_sam = api(client_for(sam), "post", f"/api/posts/{shared.pk}/share", {"handle": "sam"})
    publish(shared)
    after = api(client_for(hana), "post", f"/api/posts/{shared.pk}/share", {"handle": "sam"})

    assert (by_leo.status_code, by_sam.status_code, after.status_code) == (403, 404, 409)
    assert list(shared.reviewers.values_list("handle", flat=True)) == ["leo"]
    assert told(sam, "draft_review") == []


def test_a_friend_comments_on_the_draft_and_the_author_is_told(shared, hana, leo, client_for, api):
    """Given Hana's draft shared with Leo, when Leo comments through the API, then it is 201
    with his comment, Hana is told, and the comment is on the draft's page for her."""
    response = api(
        client_for(leo),
        "post",
        f"/api/posts/{shared.pk}/comments",
        {"text": "  Say why one node at a time.  "},
    )

    assert response.status_code == 201, response.content
    assert [(c["author"], c["text"]) for c in response.json()["comments"]] == [
        ("leo", "Say why one node at a time.")
    ]
    assert told(hana, "draft_comment") == [f"@leo commented on your draft “{shared.title}”"]
    shown = page(client_for(hana).get(f"/posts/{shared.pk}/"))
    assert "Say why one node at a time." in shown


def test_the_author_commenting_on_her_own_draft_is_not_told(draft, hana, client_for):
    """Given Hana's draft, when she leaves herself a comment on its page, then it is shown and
    she gets no notification about it."""
    client = client_for(hana)

    client.post(f"/posts/{draft.pk}/comment/", {"text": "Add a diagram."})

    assert "Add a diagram." in page(client.get(f"/posts/{draft.pk}/"))
    assert told(hana, "draft_comment") == []


def test_no_comments_on_a_published_post(shared, leo, client_for, api):
    """Given Hana's draft shared with Leo, once she publishes it, when Leo comments, then it
    is 409 and nothing is written."""
    publish(shared)

    response = api(client_for(leo), "post", f"/api/posts/{shared.pk}/comments", {"text": "Late!"})

    assert response.status_code == 409
    assert not DraftComment.objects.exists()


def test_comments_on_the_draft_stay_private_once_it_is_published(shared, leo, sam, client_for, api):
    """Given Leo's comment on Hana's draft, once she publishes it, when Sam reads the post on
    its page and through the API, then neither shows the comment: it was for Hana only."""
    services.draft_comment(post_id=shared.pk, by=leo, text="The second paragraph is weak.")
    publish(shared)
    client = client_for(sam)

    assert "The second paragraph is weak." not in page(client.get(f"/posts/{shared.pk}/"))
    assert api(client, "get", f"/api/posts/{shared.pk}").json()["comments"] == []


def test_a_comment_is_shown_as_text(shared, hana, leo, client_for):
    """Given Leo comments on Hana's draft with markup, when Hana reads the draft, then the
    comment shows as escaped text."""
    services.draft_comment(post_id=shared.pk, by=leo, text="<script>alert('owned')</script>")

    shown = page(client_for(hana).get(f"/posts/{shared.pk}/"))

    assert "<script>alert" not in shown
    assert "&lt;script&gt;alert" in shown


@pytest.mark.parametrize("published", [False, True], ids=["draft", "published"])
def test_a_stranger_may_not_comment(shared, sam, client_for, api, published):
    """Given Hana's draft shared with Leo (published or not), when Sam, who it was not shared
    with, comments through the API or the page, then the API is 404 and the page 404, and
    nothing is written."""
    if published:
        publish(shared)
    client = client_for(sam)

    through_api = api(client, "post", f"/api/posts/{shared.pk}/comments", {"text": "Hi"})
    through_page = client.post(f"/posts/{shared.pk}/comment/", {"text": "Hi"})

    assert through_api.status_code == 404
    assert through_page.status_code == 404
    assert not DraftComment.objects.exists()


# --- Mentions -------------------------------------------------------------------------------


def test_publishing_tells_each_person_mentioned_once(hana, leo, priya, client_for, api):
    """Given Hana's draft naming @leo twice (once as @Leo), @priya and herself, when she saves
    it nobody is told; when she publishes, then Leo and Priya are each told once that she
    referenced them, with a link to the post, and she is not told about herself."""
    post = write(
        hana,
        title="Pairing on upgrades",
        body="Thanks @leo and @priya. @Leo did the drain; I (@hana) watched.",
    )
    assert not Notification.objects.filter(kind="mention").exists()

    response = api(client_for(hana), "post", f"/api/posts/{post.pk}/publish")

    assert response.status_code == 200, response.content
    assert {"leo", "priya"} <= set(response.json()["mentions"])
    for person in (leo, priya):
        (notice,) = Notification.objects.filter(user=person, kind="mention")
        assert notice.text == "@hana referenced you in “Pairing on upgrades”"
        assert notice.url == f"/posts/{post.pk}/"
    assert told(hana, "mention") == []


def test_a_mention_links_to_the_person(hana, leo, sam, client_for):
    """Given Hana's post naming @leo, when Sam reads it, then "@leo" links to Leo's page."""
    post = publish(write(hana, body="Ask @leo about it."))

    shown = prose(client_for(sam).get(f"/posts/{post.pk}/"))

    assert re.search(r'<a href="/people/leo/"[^>]*>@leo</a>', shown), shown


def test_a_mention_of_no_one_stays_plain_text_and_tells_no_one(hana, client_for, api):
    """Given Hana's post naming @nobody-here, whom no one is, when she publishes it, then the
    page shows "@nobody-here" as plain text, the post mentions no one and no one is told."""
    post = write(hana, body="Thanks @nobody-here for the idea.")

    publish(post)

    shown = prose(client_for(hana).get(f"/posts/{post.pk}/"))
    assert "Thanks @nobody-here for the idea." in shown
    assert "/people/nobody-here/" not in shown
    assert api(client_for(hana), "get", f"/api/posts/{post.pk}").json()["mentions"] == []
    assert not Notification.objects.filter(kind="mention").exists()


def test_an_email_address_is_not_a_mention(hana, leo, make_user, client_for):
    """Given members @leo and @example, when Hana publishes a post giving the addresses
    a@b.com, ops@leo.dev and ops@example.org, then no one is mentioned or told, and the page
    links to no one."""
    make_user("example")
    post = publish(write(hana, body="Write to a@b.com, ops@leo.dev or ops@example.org."))

    shown = prose(client_for(hana).get(f"/posts/{post.pk}/"))

    assert "/people/" not in shown
    assert not post.mentions.exists()
    assert not Notification.objects.filter(kind="mention").exists()


def test_editing_a_published_post_to_add_a_mention_tells_only_the_new_person(
    hana, leo, priya, client_for, api
):
    """Given Hana's published post naming @leo, when she edits it through the API to also name
    @priya, then Priya is told once and Leo is not told again."""
    post = publish(write(hana, title="Upgrades", body="Thanks @leo."))

    response = api(
        client_for(hana),
        "put",
        f"/api/posts/{post.pk}",
        {"title": "Upgrades", "body": "Thanks @leo and @priya.", "skills": []},
    )

    assert response.status_code == 200, response.content
    assert told(leo, "mention") == ["@hana referenced you in “Upgrades”"]
    assert told(priya, "mention") == ["@hana referenced you in “Upgrades”"]


def test_editing_a_draft_tells_no_one_until_it_is_published(hana, leo, client_for):
    """Given Hana's draft, when she edits it on the page to name @leo, then Leo is not told
    until she publishes it, and then once."""
    post = write(hana, title="Upgrades", body="Draft.")
    client = client_for(hana)

    client.post(
        f"/posts/{post.pk}/edit/", {"title": "Upgrades", "body": "Thanks @leo.", "skills": ""}
    )
    assert told(leo, "mention") == []

    client.post(f"/posts/{post.pk}/publish/")
    assert told(leo, "mention") == ["@hana referenced you in “Upgrades”"]


def test_a_handle_inside_code_is_shown_as_written(hana, leo, client_for):
    """Given Hana's post with "@leo" inside inline code and inside a code block, when it is
    shown, then the code reads exactly "@leo", not Markdown link syntax."""
    post = publish(write(hana, body="Type `@leo` in the chat.\n\n```\nping @leo\n```"))

    shown = prose(client_for(hana).get(f"/posts/{post.pk}/"))

    assert "<code>@leo</code>" in shown, shown
    assert "ping @leo\n</code>" in shown, shown
    assert "[@leo]" not in shown


def test_a_handle_inside_link_text_keeps_the_link(hana, leo, client_for):
    """Given Hana's post with the link "[ask @leo](https://example.org/faq)", when it is
    shown, then the page has that link with its text, and no stray Markdown brackets."""
    post = publish(write(hana, body="Read [ask @leo](https://example.org/faq) first."))

    shown = prose(client_for(hana).get(f"/posts/{post.pk}/"))

    assert re.search(r'<a href="https://example.org/faq"[^>]*>ask ', shown), shown
    assert "](https://example.org/faq)" not in shown


def test_someone_who_joined_after_the_draft_was_written_is_linked_when_it_is_published(
    hana, make_user, client_for
):
    """Given Hana's draft naming @nina before Nina joined, when Nina joins and Hana publishes,
    then Nina is told, and "@nina" on the page links to her like any other mention."""
    post = write(hana, body="Thanks @nina.")
    nina = make_user("nina", display_name="Nina Ortiz")

    publish(post)

    assert told(nina, "mention") == ["@hana referenced you in “A draft”"]
    shown = prose(client_for(hana).get(f"/posts/{post.pk}/"))
    assert re.search(r'<a href="/people/nina/"[^>]*>@nina</a>', shown), shown


def test_being_told_of_a_mention_leads_to_a_post_i_can_read(leo, make_user, client_for):
    """Given Ivy, whose profile only her organization sees (Leo is not in it), publishes a
    post naming @leo, when Leo follows each mention notification he has, then it opens a post
    he can read, never a page not found."""
    ivy = make_user("ivy", display_name="Ivy Chen", visibility="organizations")
    publish(write(ivy, title="Ivy thanks Leo", body="Thanks @leo."))
    client = client_for(leo)

    for notice in Notification.objects.filter(user=leo, kind="mention"):
        assert client.get(notice.url).status_code == 200, notice.text


def test_a_post_does_not_show_the_name_of_someone_whose_profile_i_may_not_see(
    hana, sam, make_user, client_for
):
    """Given Ivy, whose profile only her organization sees, and Hana's published post naming
    @ivy, when Sam (not in Ivy's organization) reads the post, then the page does not show
    Ivy's name, which only people who may see her profile may read."""
    make_user("ivy", display_name="Ivy Chen", visibility="organizations")
    post = publish(write(hana, body="Thanks @ivy."))

    shown = page(client_for(sam).get(f"/posts/{post.pk}/"))

    assert "Ivy Chen" not in shown


# --- Publishing and editing -----------------------------------------------------------------


def test_publishing_on_the_page_puts_the_post_out(draft, hana, client_for):
    """Given Hana's draft, when she publishes it on its page, then she is told, the post is no
    longer a draft and has a publication date."""
    response = client_for(hana).post(f"/posts/{draft.pk}/publish/", follow=True)

    assert "Published. Everyone you mentioned is told." in page(response)
    draft.refresh_from_db()
    assert draft.status == PostStatus.PUBLISHED
    assert draft.published_at is not None


def test_publishing_twice_is_409_and_tells_no_one_again(hana, leo, client_for, api):
    """Given Hana's published post naming @leo, when she publishes it again through the API,
    then it is 409 and Leo was told once only."""
    post = publish(write(hana, title="Upgrades", body="Thanks @leo."))

    response = api(client_for(hana), "post", f"/api/posts/{post.pk}/publish")

    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert told(leo, "mention") == ["@hana referenced you in “Upgrades”"]


def test_only_the_author_publishes(shared, leo, sam, client_for, api):
    """Given Hana's draft shared with Leo, when Leo publishes it (403) or Sam does (404), then
    it stays a draft."""
    by_leo = api(client_for(leo), "post", f"/api/posts/{shared.pk}/publish")
    by_sam = api(client_for(sam), "post", f"/api/posts/{shared.pk}/publish")

    assert (by_leo.status_code, by_sam.status_code) == (403, 404)
    shared.refresh_from_db()
    assert shared.status == PostStatus.DRAFT


EDIT = {"title": "Taken over", "body": "Mine now.", "skills": []}


def test_only_the_author_edits_through_the_api(shared, leo, sam, client_for, api):
    """Given Hana's draft shared with Leo, when Leo edits it through the API, then it is 403;
    when Sam does, 404; and the draft is unchanged."""
    by_leo = api(client_for(leo), "put", f"/api/posts/{shared.pk}", EDIT)
    by_sam = api(client_for(sam), "put", f"/api/posts/{shared.pk}", EDIT)

    assert (by_leo.status_code, by_sam.status_code) == (403, 404)
    shared.refresh_from_db()
    assert shared.title == KUBERNETES_POST["title"]


def test_a_reader_of_a_published_post_may_not_edit_it(draft, sam, client_for, api):
    """Given Hana's published post, which Sam can read, when he edits it through the API, then
    it is 403 and the post is unchanged."""
    publish(draft)

    response = api(client_for(sam), "put", f"/api/posts/{draft.pk}", EDIT)

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == KUBERNETES_POST["title"]


def test_a_stranger_may_not_open_or_post_the_edit_page(shared, sam, client_for):
    """Given Hana's draft, when Sam opens or posts its edit page, then it is 404 and the
    draft is unchanged."""
    client = client_for(sam)

    assert client.get(f"/posts/{shared.pk}/edit/").status_code == 404
    assert client.post(f"/posts/{shared.pk}/edit/", EDIT | {"skills": ""}).status_code == 404
    shared.refresh_from_db()
    assert shared.title == KUBERNETES_POST["title"]


def test_a_friend_is_refused_the_edit_page_as_by_the_api(shared, leo, client_for):
    """Given Hana's draft shared with Leo, who can read it, when Leo opens or posts its edit
    page, then it is 403 (as through the API), not a 'page not found' for a page he just
    read, and the draft is unchanged."""
    client = client_for(leo)

    opened = client.get(f"/posts/{shared.pk}/edit/")
    posted = client.post(f"/posts/{shared.pk}/edit/", EDIT | {"skills": ""})

    shared.refresh_from_db()
    assert shared.title == KUBERNETES_POST["title"]
    assert (opened.status_code, posted.status_code) == (403, 403)


def test_the_author_edits_on_the_page(draft, hana, client_for):
    """Given Hana's draft, when she opens its edit page, then the form holds her title, body
    and skills; when she saves a change, then the post page shows it."""
    client = client_for(hana)

    form = page(client.get(f"/posts/{draft.pk}/edit/"))
    assert 'value="What I learned upgrading Kubernetes"' in form
    assert 'value="Kubernetes"' in form

    response = client.post(
        f"/posts/{draft.pk}/edit/",
        {"title": "Upgrading Kubernetes", "body": "Drain *slowly*.", "skills": "Kubernetes"},
        follow=True,
    )

    assert "<h1>Upgrading Kubernetes</h1>" in page(response)
    assert "<em>slowly</em>" in prose(response)


# --- Bad input ------------------------------------------------------------------------------

SIX_SKILLS = ["Kubernetes", "Python", "Go", "Rust", "Terraform", "SQL"]


@pytest.fixture
def vocabulary(make_person):
    """Six skills exist in the vocabulary (someone offers each)."""
    return make_person("vocab", offers=SIX_SKILLS)


BAD_POSTS = [
    ({"title": "", "body": "Words."}, 422, "title"),
    ({"title": "   ", "body": "Words."}, 400, "title"),
    ({"title": "x" * 161, "body": "Words."}, 422, "title"),
    ({"title": "Words", "body": ""}, 422, "body"),
    ({"title": "Words", "body": " \n "}, 400, "body"),
    ({"title": "Words", "body": "x" * 20_001}, 422, "body"),
    ({"title": "Words", "body": "Words.", "skills": ["Underwater basket weaving"]}, 400, "skills"),
    ({"title": "Words", "body": "Words.", "skills": SIX_SKILLS}, 422, "skills"),
]
BAD_IDS = ["no title", "blank title", "long title", "no body", "blank body", "long body",
           "unknown skill", "six skills"]  # fmt: skip


@pytest.mark.parametrize(("payload", "status", "field"), BAD_POSTS, ids=BAD_IDS)
def test_a_bad_post_through_the_api_names_the_field_and_writes_nothing(
    hana, vocabulary, client_for, api, payload, status, field
):
    """Given Hana, when she writes a post with a bad title, body or skills through the API,
    then it is 400 or 422 naming the field, and no post is written."""
    response = api(client_for(hana), "post", "/api/posts", payload)

    assert response.status_code == status, response.content
    assert response.json()["detail"].startswith(f"{field}:"), response.json()
    assert not Post.objects.exists()


@pytest.mark.parametrize(("payload", "status", "field"), BAD_POSTS, ids=BAD_IDS)
def test_a_bad_edit_through_the_api_names_the_field_and_changes_nothing(
    draft, hana, vocabulary, client_for, api, payload, status, field
):
    """Given Hana's draft, when she edits it with a bad title, body or skills through the API,
    then it is 400 or 422 naming the field, and the draft is as it was."""
    response = api(client_for(hana), "put", f"/api/posts/{draft.pk}", payload)

    assert response.status_code == status, response.content
    assert response.json()["detail"].startswith(f"{field}:"), response.json()
    draft.refresh_from_db()
    assert (draft.title, draft.body) == (KUBERNETES_POST["title"], KUBERNETES_POST["body"])
    assert list(draft.skills.values_list("name", flat=True)) == ["Kubernetes"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": "", "body": "Words."}, "This field is required."),
        ({"title": "   ", "body": "Words."}, "This field is required."),
        ({"title": "Words", "body": ""}, "This field is required."),
        ({"title": "x" * 161, "body": "Words."}, "at most 160 characters"),
        (
            {"title": "Words", "body": "Words.", "skills": "Underwater basket weaving"},
            "no skill called",
        ),
        ({"title": "Words", "body": "Words.", "skills": ", ".join(SIX_SKILLS)}, "at most 5"),
    ],
    ids=["no title", "blank title", "no body", "long title", "unknown skill", "six skills"],
)
def test_a_bad_post_on_the_page_is_shown_back_with_the_reason(
    hana, vocabulary, client_for, form, message
):
    """Given Hana on the write page, when she saves with a bad title, body or skills, then the
    form comes back (400) saying what is wrong and no post is written."""
    response = client_for(hana).post("/posts/new/", {"skills": ""} | form)

    assert response.status_code == 400
    assert message in page(response)
    assert not Post.objects.exists()


def test_a_blank_comment_is_400_naming_the_text(shared, leo, client_for, api):
    """Given Hana's draft shared with Leo, when Leo comments with only spaces, then it is 400
    naming the text and nothing is written."""
    response = api(client_for(leo), "post", f"/api/posts/{shared.pk}/comments", {"text": "   "})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("text:")
    assert not DraftComment.objects.exists()


# --- The feed -------------------------------------------------------------------------------


@pytest.fixture
def network(leo, sam, priya, make_person, make_user, make_org):
    """Leo's world, each person writing one published post, oldest first in this order:
    Sam (in a relationship with Leo), Omar (in Leo's organization), Priya (on Kubernetes,
    which Leo wants to learn), Mallory (naming @leo), Rita (on Baking, nothing to do with
    Leo), Ivy (private profile, on Kubernetes and naming @leo, in no organization of Leo's);
    and a draft by Sam. Returns the titles Leo's feed should show, newest first."""
    omar = make_user("omar", display_name="Omar Haddad")
    make_org("acme", admin=omar, members=[leo])
    relationship_start(one=leo, other=sam, topic="Career chats")
    mallory = make_user("mallory", display_name="Mallory Stone")
    rita = make_person("rita", display_name="Rita Moss", offers=["Baking"])
    ivy = make_person(
        "ivy", display_name="Ivy Chen", offers=["Kubernetes"], visibility="organizations"
    )
    writers = [
        (sam, "Sam on career chats", "Notes.", []),
        (omar, "Omar on Acme life", "Notes.", []),
        (priya, "Priya on Kubernetes", "Notes.", ["Kubernetes"]),
        (mallory, "Mallory thanks Leo", "Thanks @leo.", []),
        (rita, "Rita on sourdough", "Notes.", ["Baking"]),
        (ivy, "Ivy on Kubernetes, privately", "Thanks @leo.", ["Kubernetes"]),
    ]
    start = timezone.now() - timedelta(days=len(writers))
    for n, (author, title, body, skills) in enumerate(writers):
        post = publish(write(author, title=title, body=body, skills=skills))
        Post.objects.filter(pk=post.pk).update(published_at=start + timedelta(days=n))
    write(sam, title="Sam's unfinished draft")
    return ["Mallory thanks Leo", "Priya on Kubernetes", "Omar on Acme life", "Sam on career chats"]


def test_the_feed_shows_my_network_my_skills_and_mentions_of_me_newest_first(
    network, leo, client_for, api
):
    """Given Leo's world, when he reads his feed on the page and through the API, then it has
    the posts of people he is in a relationship or an organization with, on a skill he wants
    to learn, and naming him, newest first; not a post on a skill he has nothing to do with,
    not a draft, and nothing by someone whose profile he may not see."""
    client = client_for(leo)

    assert feed_titles(client.get("/posts/")) == network
    assert [post["title"] for post in api(client, "get", "/api/posts").json()] == network


def test_the_feed_shows_posts_on_a_skill_i_offer(network, hana, client_for):
    """Given Hana, who offers Kubernetes and knows no one, when she reads her feed, then it
    has Priya's Kubernetes post and nothing else of Leo's world (Ivy's profile is private)."""
    assert feed_titles(client_for(hana).get("/posts/")) == ["Priya on Kubernetes"]


def test_a_private_author_shows_to_people_in_her_organization(network, leo, make_org, client_for):
    """Given Ivy's private profile, once Leo joins her organization, when he reads his feed,
    then her post (which names him) is in it, newest first."""
    ivy = Post.objects.get(title__startswith="Ivy").author
    make_org("ivy-co", admin=ivy, members=[leo])

    assert feed_titles(client_for(leo).get("/posts/")) == ["Ivy on Kubernetes, privately", *network]


def several_posts(make_user, count: int, offset: int) -> None:
    """`count` published posts by different authors, each on Kubernetes and naming @leo."""
    for n in range(offset, offset + count):
        author = make_user(f"writer{n}")
        publish(write(author, title=f"Post {n}", body=f"Hello @leo and @sam, number {n}.",
                      skills=["Kubernetes"]))  # fmt: skip


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/posts/", "/api/posts"])
def test_the_feed_takes_the_same_queries_for_one_post_or_many(
    leo, sam, hana, make_user, client_for, path
):
    """Given one post in Leo's feed, then seven, each by a different author, tagged and
    naming people, when Leo opens his feed, then it takes the same number of queries."""
    client = client_for(leo)
    several_posts(make_user, 1, 0)
    write(hana, title="Hana's draft")
    services.post_share(post_id=Post.objects.get(title="Hana's draft").pk, by=hana, handle="leo")
    one = queries_for(client, path)
    several_posts(make_user, 6, 1)
    other = write(sam, title="Sam's draft")
    services.post_share(post_id=other.pk, by=sam, handle="leo")

    assert len(feed_titles(client.get("/posts/"))) == 7
    assert queries_for(client, path) == one


def test_posts_need_a_login(draft, client):
    """Given a post, when someone not logged in opens the posts pages or the API, then the
    pages send them to log in and the API is 401."""
    for path in ("/posts/", "/posts/new/", f"/posts/{draft.pk}/"):
        assert client.get(path).status_code == 302
    assert client.get("/api/posts").status_code == 401
    assert client.get(f"/api/posts/{draft.pk}").status_code == 401


# --- A person's page, the composer and discovery --------------------------------------------


def test_a_persons_page_shows_what_they_wrote_and_where_they_are_mentioned(
    hana, leo, sam, client_for
):
    """Given Hana's published post naming @leo and her draft naming @leo, when Sam opens
    Hana's page and Leo's, then Hana's lists the published post under "Writing" (not under
    "Mentioned in") and Leo's lists it under "Mentioned in", by Hana (not under "Writing");
    the draft is on neither."""
    post = publish(write(hana, title="Pairing with Leo", body="Thanks @leo."))
    write(hana, title="Secret draft", body="More about @leo.")
    client = client_for(sam)

    hers = page(client.get("/people/hana/"))
    his = page(client.get("/people/leo/"))

    assert section(hers, "Writing") == f'<li><a href="/posts/{post.pk}/">Pairing with Leo</a></li>'
    assert section(hers, "Mentioned in") == ""
    assert section(his, "Mentioned in") == (
        f'<li><a href="/posts/{post.pk}/">Pairing with Leo — by Hana Kim</a></li>'
    )
    assert section(his, "Writing") == ""
    assert "Secret draft" not in hers + his


def test_a_post_by_someone_i_may_not_see_is_not_on_the_page_of_the_person_it_names(
    leo, sam, make_user, client_for
):
    """Given Ivy, whose profile only her organization sees, published a post naming @leo, when
    Sam opens Leo's page, then there is no "Mentioned in" section; Leo, whom it names, is
    told, but Sam is shown nothing of Ivy."""
    ivy = make_user("ivy", display_name="Ivy Chen", visibility="organizations")
    publish(write(ivy, title="Ivy thanks Leo", body="Thanks @leo."))

    his = page(client_for(sam).get("/people/leo/"))

    assert section(his, "Mentioned in") == ""
    assert "Ivy" not in his


def test_removing_a_mention_takes_the_post_off_that_persons_page(hana, leo, sam, client_for, api):
    """Given Hana's published post naming @leo, when she edits @leo out of it, then Leo's page
    no longer lists it under "Mentioned in" and the post no longer says it mentions him."""
    post = publish(write(hana, title="Pairing", body="Thanks @leo."))

    api(
        client_for(hana),
        "put",
        f"/api/posts/{post.pk}",
        {"title": "Pairing", "body": "Thanks all."},
    )

    assert section(page(client_for(sam).get("/people/leo/")), "Mentioned in") == ""
    assert api(client_for(sam), "get", f"/api/posts/{post.pk}").json()["mentions"] == []


def recommended(client, api) -> dict[str, list[str]]:
    """The people on my discovery board, with their reasons."""
    response = api(client, "get", "/api/me/recommendations")
    assert response.status_code == 200, response.content
    return {
        item["person"]["handle"]: item["reasons"]
        for goal in response.json()["goals"]
        for item in goal["people"]
    }


def test_a_published_post_on_a_skill_is_evidence_on_the_discovery_board(
    draft, hana, leo, client_for, api
):
    """Given Leo wants to learn Kubernetes and Hana offers it and has a Kubernetes draft, when
    Leo reads his board, then no reason counts a post; once she publishes it, then a reason
    says she wrote a post tagged Kubernetes (publishing refreshes the board)."""
    client = client_for(leo)
    before = recommended(client, api)["hana"]
    assert not any("post" in reason for reason in before), before

    publish(draft)

    after = recommended(client, api)["hana"]
    assert any("wrote 1 post" in reason and "Kubernetes" in reason for reason in after), after


def test_the_composer_lists_the_authors_published_post_titles(draft, hana, leo, client_for):
    """Given Hana's published Kubernetes post and another draft, when Leo writes to her, then
    the composer lists the post's title under what she wrote, not the draft's."""
    publish(draft)
    write(hana, title="Half-written thoughts")

    shown = page(client_for(leo).get("/asks/new/hana/"))

    assert "and what they wrote" in shown
    assert f"<li>{KUBERNETES_POST['title']}</li>" in shown
    assert "Half-written thoughts" not in shown


HANA_ABOUT_DRAINING = (
    "Hi Hana,\n\n"
    "I'm Leo, a student looking after our club's servers. Last week we lost connections "
    "while cordoning and draining a node, and I could not work out why the pods did not "
    "move over gracefully before the old ones stopped.\n\n"
    "Thanks, Leo"
)


def findings_for(client, api, message: str) -> set[str]:
    response = api(
        client,
        "post",
        "/api/asks/check",
        {"recipient": "hana", "message": message, "time_minutes": 30},
    )
    assert response.status_code == 200, response.content
    return {finding["code"] for finding in response.json()["findings"]}


def test_the_checker_counts_a_published_post_as_something_of_hers(hana, leo, client_for, api):
    """Given Leo writes to Hana about cordoning and draining nodes, which nothing of hers
    mentions yet (only a draft of hers does), the checker finds no reference to her; once
    she publishes "Cordoning and draining nodes gracefully", the same message refers to her
    work."""
    post = write(hana, title="Cordoning and draining nodes gracefully")
    client = client_for(leo)
    assert "no_reference" in findings_for(client, api, HANA_ABOUT_DRAINING)

    publish(post)

    assert "no_reference" not in findings_for(client, api, HANA_ABOUT_DRAINING)
