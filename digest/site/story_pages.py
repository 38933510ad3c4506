"""Stories on the site: how a story is shown in a list, which stories lead, and a story's page.

One owner for the markup the checks rely on: on a listing page each story is one element with
class ``digest-story`` holding the links to its articles (the lead's title, then each other
source's name linking to our page of its newest article in the story); a story of two or more
articles has a page, ``stories/<slug>.md``, whose timeline links to every article.

The lead of a story shown to readers is an editor's pick if it holds one, else its newest
article in the site's language (the latest development, in the readers' words), else its
newest. Top stories are ranked by how many
distinct sources covered them, halved for each ``TOP_HALF_LIFE_HOURS`` since their newest
article: five sources yesterday weigh as much as two and a half today.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from digest.site.listings import (by_day, categories_of, category_of, editions, groups_by_slug,
                                  list_item, nav_block, page, paged, source_of, thumbnail)
from digest.site.notes import note_block
from digest.site.picks import picked_stories, picks_lead, picks_of
from digest.site.locale import Site
from digest.site.markup import language_attributes, md_link, md_text
from digest.site.related import Links
from digest.site.stories import Stories
from digest.site.story_evidence import language_of
from digest.site.urls import TOP_STORIES_RSS, category_feed, category_src, day_src, is_web_link, story_src
from digest.store.notes import Note
from digest.store.posts import Post

TOP_HALF_LIFE_HOURS = 24
# theme.language -> the language names stories.py tells posts apart by.
LANGUAGES = {"en": "english", "de": "german", "hu": "hungarian", "fr": "french", "es": "spanish",
             "it": "italian", "nl": "dutch", "pt": "portuguese", "ru": "russian", "zh": "chinese"}
LINE_SOURCES = 3        # a one-line story names at most this many other sources


@dataclass
class StoryView:
    """The stories as the pages need them: members as posts, leads, sources."""

    stories: Stories
    by_src: dict[str, Post]
    language: str                                   # the site's, as stories.py names it
    _languages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, stories: Stories, posts: list[Post], site_language: str) -> "StoryView":
        base = site_language.replace("-", "_").split("_")[0].lower()
        return cls(stories, {post.src: post for post in posts}, LANGUAGES.get(base, "english"))

    def key(self, post: Post) -> str:
        return self.stories.story_of[post.src]

    def members(self, key: str) -> list[Post]:
        """The story's published articles, oldest first."""
        return [self.by_src[src] for src in self.stories.stories[key].members if src in self.by_src]

    def page(self, key: str) -> str | None:
        """The story's page, if it has one (two or more articles)."""
        story = self.stories.stories[key]
        return story_src(story.slug) if story.slug and len(self.members(key)) >= 2 else None

    def lead(self, key: str, among: list[Post] | None = None) -> Post:
        """An editor's pick, if the story holds one; else the newest article in the site's
        language, else the newest."""
        members = among or self.members(key)
        picks = picks_of(members)
        if picks:
            return picks[0]
        own = [post for post in members if self._language(post) == self.language]
        return max(own or members, key=lambda post: (post.date, post.src))

    def sources(self, key: str) -> list[tuple[str, Post]]:
        """Each source of the story with its newest article in it, newest first."""
        newest: dict[str, Post] = {}
        for post in self.members(key):
            name = post.source or ""
            if name not in newest or (post.date, post.src) > (newest[name].date, newest[name].src):
                newest[name] = post
        return sorted(newest.items(), key=lambda item: (item[1].date, item[1].src), reverse=True)

    def _language(self, post: Post) -> str:
        if post.src not in self._languages:
            self._languages[post.src] = language_of(post)
        return self._languages[post.src]


def story_keys(view: StoryView, posts: list[Post]) -> list[str]:
    """The stories of ``posts``, each once, newest first (by their newest post here)."""
    newest: dict[str, Post] = {}
    for post in posts:
        key = view.key(post)
        if key not in newest or (post.date, post.src) > (newest[key].date, newest[key].src):
            newest[key] = post
    return sorted(newest, key=lambda key: (newest[key].date, newest[key].src), reverse=True)


def top_stories(view: StoryView, keys: list[str], now: datetime, count: int) -> list[str]:
    """The ``count`` stories that lead: most distinct sources, discounted by age."""
    def weight(key: str) -> tuple[float, datetime, str]:
        newest = max(post.date for post in view.members(key))
        hours = max(0.0, (now - newest).total_seconds() / 3600)
        sources = len({post.source for post in view.members(key)})
        return (-sources * 0.5 ** (hours / TOP_HALF_LIFE_HOURS), -newest.timestamp(), key)
    return sorted(keys, key=weight)[:count]


def source_links(site: Site, view: StoryView, key: str, from_src: str, skip: Post) -> list[str]:
    return [site.link(md_text(name or site.settings.site_name), from_src, post.src)
            for name, post in view.sources(key) if post.src != skip.src]


def sources_label(site: Site, view: StoryView, key: str, from_src: str) -> str:
    """ "3 sources", linking to the story's page when it has one."""
    count = len(view.sources(key))
    text = md_text(site.t("sources_count", count=count) if count != 1 else site.t("one_source"))
    target = view.page(key)
    return site.link(text, from_src, target) if target else text


def top_story_block(site: Site, view: StoryView, key: str, from_src: str) -> list[str]:
    """A top story: the lead's headline and summary, "N sources" with each source's name
    linking to our page of its article, and the time."""
    lead = view.lead(key)
    when = site.short_day(lead) + ", " + site.clock(lead)
    others = source_links(site, view, key, from_src, lead)
    sources = " · ".join([site.link(md_text(source_of(lead, site.settings)), from_src, lead.src)]
                         + others)
    lines = ["", '<div class="digest-story digest-top-story" markdown>', "",
             f"### {site.link(md_text(lead.title), from_src, lead.src)}", ""]
    if lead.summary:
        lines += [md_text(lead.summary), ""]
    lines += [f'<p class="digest-story-sources" markdown>{sources_label(site, view, key, from_src)}: '
              f"{sources} <small>{md_text(when)}</small></p>", "", "</div>"]
    return lines


def story_line(site: Site, view: StoryView, key: str, from_src: str, among: list[Post],
               with_day: bool = False) -> str:
    """A story in one line: the lead's title and source, and its other sources' names."""
    lead = view.lead(key, among)
    when = site.short_day(lead) + ", " + site.clock(lead) if with_day else site.clock(lead)
    meta = " · ".join(part for part in (md_text(lead.source), md_text(when)) if part)
    # In the article's own language and direction (an Urdu title reads right to left).
    attributes = language_attributes(lead.language, site.settings.language)
    opening, closing = (f"<span{attributes}>", "</span>") if attributes else ("", "")
    line = (f"{thumbnail(lead)}{opening}{site.link(md_text(lead.title), from_src, lead.src)}"
            f"{closing} <small>{meta}</small>")
    others = source_links(site, view, key, from_src, lead)
    if others:
        shown = others[:LINE_SOURCES]
        line += (f' <small class="digest-story-sources" markdown>'
                 f"{sources_label(site, view, key, from_src)}: {' · '.join(shown)}</small>")
    # A blank line after it: each story is an HTML block of its own.
    return f'<p class="digest-story" markdown>{line}</p>\n'


def stories_by_category(site: Site, view: StoryView, keys: list[str], posts: list[Post],
                        from_src: str, level: str, limit: int | None = None,
                        now: datetime | None = None) -> list[str]:
    """Each story once, under the category of its lead, one line each; categories by name.

    With ``limit`` (the front page), a category lists at most that many stories, those
    ``top_stories`` ranks first at ``now`` (most sources, newest), still newest first, and a
    link to the category's page says how many more there are: at 400 articles a night one
    line per story would make the front page a river again (bench/front_page.py).
    """
    among: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        among[view.key(post)].append(post)
    groups: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for key in keys:
        category = category_of(view.lead(key, among[key]))
        names.setdefault(category.casefold(), category)
        groups[category.casefold()].append(key)
    lines = []
    for folded in sorted(groups):
        category, shown = names[folded], groups[folded]
        target = md_link(from_src, category_src(category))
        if limit and len(shown) > limit:
            best = set(top_stories(view, shown, now, limit))
            shown = [key for key in shown if key in best]
        lines += ["", f"{level} [{md_text(category)}]({target})", ""]
        lines += [story_line(site, view, key, from_src, among[key]) for key in shown]
        hidden = len(groups[folded]) - len(shown)
        if hidden:
            text = (site.t("more_in_category", count=hidden, category=category) if hidden > 1
                    else site.t("one_more_in_category", category=category))
            lines += [f'<p class="digest-more" markdown>[{md_text(text)} →]({target})</p>', ""]
    return lines


# --- A story's page --------------------------------------------------------------------------

def related_stories(view: StoryView, key: str, links: Links, count: int) -> list[str]:
    """Other stories its articles' related links point to, most pointed to first."""
    votes: Counter[str] = Counter()
    for post in view.members(key):
        for src in links.see_also.get(post.src, ()) + links.follow_ups.get(post.src, ()):
            if src in view.by_src and view.key(view.by_src[src]) != key:
                votes[view.key(view.by_src[src])] += 1
    return [other for other, _ in sorted(votes.items(), key=lambda item: (-item[1], item[0]))][:count]


def story_page(site: Site, view: StoryView, key: str, links: Links) -> str:
    src = view.page(key)
    members = view.members(key)
    lead = view.lead(key)
    first, last = members[0], members[-1]
    span = site.long_day(site.day_of(first))
    if site.day_of(last) != site.day_of(first):
        span += " – " + site.long_day(site.day_of(last))
    body = ["", f'<p class="digest-story-meta">{md_text(site.t("sources_count", count=len(view.sources(key))))}'
                f" · {md_text(span)}</p>"]
    categories = sorted({name for post in members for name in post.categories}, key=str.casefold)
    if categories:
        body += ["", f'<p class="digest-categories" markdown>{md_text(site.t("filed_under"))}: '
                     + ", ".join(f"[{md_text(name)}]({md_link(src, category_src(name))})"
                                 for name in categories) + "</p>"]
    body += ["", f"## {md_text(site.t('timeline'))}", "", '<div class="digest-story digest-timeline" markdown>']
    for post in reversed(members):
        when = site.date_and_time(post)
        body += ["", f"### {site.link(md_text(post.title), src, post.src)}", "",
                 f"<small>{md_text(source_of(post, site.settings))} · {md_text(when)}</small>", ""]
        if post.summary:
            body += [md_text(post.summary), ""]
        if is_web_link(post.link):
            body += [f'<p class="digest-original" markdown>[{md_text(site.t("read_original", source=source_of(post, site.settings)))}]'
                     f"({post.link.replace(')', '%29').replace(' ', '%20')})</p>", ""]
    body += ["</div>"]
    related = related_stories(view, key, links, site.settings.see_also)
    if related:
        body += ["", f"## {md_text(site.t('related_stories'))}", ""]
        for other in related:
            other_lead = view.lead(other)
            target = view.page(other) or other_lead.src
            body.append(f"- {site.link(md_text(other_lead.title), src, target)} "
                        f"<small>{md_text(source_of(other_lead, site.settings))} · "
                        f"{md_text(site.short_day(other_lead))}</small>")
    return page(lead.title, body, kind="story")


def story_pages_of(view: StoryView) -> dict[str, list[Post]]:
    """Every story page (stories of two or more articles) and its reports."""
    return {view.page(key): view.members(key) for key in view.stories.stories if view.page(key)}


def story_outputs(site: Site, view: StoryView, links: Links) -> dict[str, str]:
    """One page per story of two or more articles, by source path; a story the size budget
    made compact (its newest report is old) has a small page instead (compact.py)."""
    pages = {}
    for key in view.stories.stories:
        src = view.page(key)
        if src and src not in site.compact:
            pages[src] = story_page(site, view, key, links)
    return pages


# --- Listing pages of stories ------------------------------------------------------------------

def edition_of(posts: list[Post]) -> list[Post]:
    """The latest edition: the posts of the 24 hours before the newest."""
    if not posts:
        return []
    newest = max(post.date for post in posts)
    return [post for post in posts if (newest - post.date).total_seconds() < 86_400]


def front_page(site: Site, view: StoryView, posts: list[Post], days: list,
               note: Note | None = None) -> str:
    """The latest edition's editor's note, if any; its top stories (editors' picks first);
    the rest of the edition by category, one line per story; then the days before."""
    edition = edition_of(posts)
    keys = story_keys(view, edition)
    body = note_block(site, note, "index.md", "##") if note else []
    if edition:
        now = max(post.date for post in edition)
        ranked = top_stories(view, keys, now, site.settings.top_stories)
        top = picks_lead(picked_stories(keys, view.members), ranked, site.settings.top_stories)
        body += ["", f"## {md_text(site.t('top_stories'))}"]
        for key in top:
            body += top_story_block(site, view, key, "index.md")
        rest = [key for key in keys if key not in set(top)]
        if rest:
            body += ["", f"## {md_text(site.t('more_in_edition'))}"]
            body += stories_by_category(site, view, rest, edition, "index.md", "###",
                                        limit=site.settings.front_page_lines, now=now)
    elif not note:
        body += ["", site.t("no_articles")]
    earlier = days[: site.settings.front_page_days]
    if earlier:
        body += ["", f"## {md_text(site.t('earlier_days'))}", ""]
        body += [f"- [{md_text(site.long_day(day))}]({day_src(day)})" for day in earlier]
    body += ["", f"[{md_text(site.t('all_days'))}](archive.md)"]
    return page(site.settings.site_name, body, kind="front", feed=TOP_STORIES_RSS, toc=False)


def day_page(site: Site, view: StoryView, day, posts: list[Post], newer, older,
             note: Note | None = None) -> str:
    """The day's editor's note, its picked stories, then its stories by category, each story
    once; the posts whose feed gave no date come last, apart (the day is only when we found
    them)."""
    src = day_src(day)
    body = note_block(site, note, src, "##") if note else []
    dated = [post for post in posts if not post.date_guessed]
    keys = story_keys(view, dated)
    picked = picked_stories(keys, view.members)
    among = defaultdict(list)
    for post in dated:
        among[view.key(post)].append(post)
    if picked:
        body += ["", f"## {md_text(site.t('top_stories'))}", ""]
        body += [story_line(site, view, key, src, among[key]) for key in picked]
    body += stories_by_category(site, view, [key for key in keys if key not in set(picked)],
                                dated, src, "##")
    undated = [post for post in posts if post.date_guessed]
    if undated:
        body += ["", f"## {md_text(site.t('undated'))}", ""]
        body += [list_item(site, post, src) for post in undated]
    if not posts:
        body += ["", site.t("no_articles")]
    links = []
    if older:
        links.append(f"[← {md_text(site.long_day(older))}]({md_link(src, day_src(older))})")
    links.append(f"[{md_text(site.t('archive'))}]({md_link(src, 'archive.md')})")
    if newer:
        links.append(f"[{md_text(site.long_day(newer))} →]({md_link(src, day_src(newer))})")
    body += nav_block("digest-day-nav", links)
    return page(site.t("digest_of", day=site.long_day(day)), body, kind="day")


def category_pages(site: Site, view: StoryView, name: str, first_src: str, posts: list[Post],
                   feed: str | None) -> dict[str, str]:
    """One category's stories, ``page_size`` per page, each filed by its first article here so
    that a story never moves from the page it was filed on (``paged`` numbers the pages from
    the oldest); the first page lists its stories by their latest news, with the older
    stories that have news as recent, so a development of last week's story is on top too."""
    among: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        among[view.key(post)].append(post)
    first = {key: min((post.date, post.src) for post in members) for key, members in among.items()}
    latest = {key: max((post.date, post.src) for post in members) for key, members in among.items()}
    filed = sorted(among, key=first.get, reverse=True)

    def first_page(newest: list[str], older: list[str]) -> list[str]:
        since = min((first[key] for key in newest), default=None)
        recent = [key for key in older if since and latest[key] >= since]
        return sorted(newest + recent, key=latest.get, reverse=True)

    return paged(site, name, first_src, filed, feed,
                 lambda key, src: story_line(site, view, key, src, among[key], with_day=True),
                 first_page=first_page,
                 compact=lambda key: all(post.src in site.compact for post in among[key]))


def edition_outputs(site: Site, view: StoryView, posts: list[Post], links: Links,
                    notes: dict | None = None) -> dict[str, str]:
    """Front page, the daily digests, the category pages (stories) and the story pages."""
    notes = notes or {}
    days = editions(site, posts, notes)
    day_list = list(days)
    latest = day_list[0] if day_list else None
    outputs = {"index.md": front_page(site, view, posts, day_list[1:], notes.get(latest))}
    for position, (day, day_posts) in enumerate(days.items()):
        newer = day_list[position - 1] if position > 0 else None
        older = day_list[position + 1] if position + 1 < len(day_list) else None
        outputs[day_src(day)] = day_page(site, view, day, day_posts, newer, older, notes.get(day))
    index = []
    for name, members in groups_by_slug(posts, categories_of).values():
        first = category_src(name)
        outputs.update(category_pages(site, view, name, first, members, category_feed(name)))
        index.append(f"- [{md_text(name)}]({md_link('categories/index.md', first)}) ({len(members)})")
    outputs["categories/index.md"] = page(site.t("categories"), [""] + index, kind="index")
    outputs.update(story_outputs(site, view, links))
    return outputs


def top_story_leads(site: Site, view: StoryView, posts: list[Post]) -> list[Post]:
    """The lead articles of each day's top stories, newest day first, ``feed_items`` at most:
    the items of the top stories feed (a story is in it once, on the day it led last)."""
    leads, seen = [], set()
    for day_posts in by_day(site, posts).values():
        now = max(post.date for post in day_posts)
        keys = [key for key in story_keys(view, day_posts) if key not in seen]
        for key in top_stories(view, keys, now, site.settings.top_stories):
            seen.add(key)
            leads.append(view.lead(key))
        if len(leads) >= site.settings.feed_items:
            break
    return leads[: site.settings.feed_items]
