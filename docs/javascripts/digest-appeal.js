/* The membership appeal, enhanced in the reader's own browser.

   Every page carries the appeal as static HTML (overrides/partials/digest-support.html); this
   script, given its settings by `digest pages` (digest/site/appeal.py, a JSON block on every
   page), changes it for this reader:
   - the count of articles this browser read here in the last 30 days ("You have read 12...");
   - "Not now" hides the full appeal for some days, a one-line form shows meanwhile, and the
     full form shows at most so many times a day;
   - a member (a visit with ?member=1, the payment page's return address, or a click on
     "I'm already a member") is thanked instead of asked;
   - each reader stays in one of the wordings to compare;
   - optionally, the appeal's views and clicks per wording go to a privacy-friendly
     analytics service (no cookies, nothing about the reader but the wording shown).
   Everything it knows stays in this browser's localStorage under "digest-appeal" and is sent
   nowhere. Without JavaScript, storage or its settings, the static appeal shows as it is. */
(function () {
  "use strict";

  var KEY = "digest-appeal";
  var DAY = 24 * 60 * 60 * 1000;
  var WINDOW = 30 * DAY;          // the count covers the last 30 days (the texts say so)
  var MAX_READS = 500;            // articles remembered, oldest forgotten first
  var script = document.currentScript;
  var config = readConfig();
  var storage = config && openStorage();
  if (!config || !storage) return;

  var now = Date.now();
  var state = load();
  if (new URLSearchParams(location.search).get("member") === "1") {
    state.memberUntil = now + config.memberDays * DAY;
    forgetMemberAddress();
  }
  var article = script && script.getAttribute("data-digest-article");
  if (article) state.reads[article] = now;
  prune();
  if (typeof state.bucket !== "number") state.bucket = Math.floor(Math.random() * 1000000);
  var wording = config.wordings.length
    ? config.wordings[state.bucket % config.wordings.length] : { name: "default" };

  var appeals = document.querySelectorAll(".digest-support");
  for (var i = 0; i < appeals.length; i++) render(appeals[i]);
  save();

  function render(aside) {
    var list = aside.classList.contains("digest-support--list");
    var parts = {
      heading: aside.querySelector(".digest-support__heading"),
      text: aside.querySelector(".digest-support__text"),
      button: aside.querySelector(".digest-support__button")
    };
    if (!parts.heading || !parts.text || !parts.button) return;
    if (state.memberUntil > now) return thank(aside, false);
    var capped = !list && config.fullViews > 0 && state.shown.length >= config.fullViews;
    if (state.dismissedUntil > now || capped) return quiet(aside, parts.button, false);
    if (!list) state.shown.push(now);
    full(aside, parts, list);
  }

  function full(aside, parts, list) {
    var heading = fixed(parts.heading) ? parts.heading.textContent : wording.heading || parts.heading.textContent;
    var text = fixed(parts.text) ? ownText(parts.text, list) : wording.text || ownText(parts.text, list);
    if (!fixed(parts.button) && wording.button) parts.button.textContent = wording.button;
    var count = countLine();
    parts.heading.textContent = heading;
    aside.setAttribute("aria-label", heading);      // the landmark is named after its heading
    if (list) {
      // One line: the heading, the count, the text (the heading is the line's first child).
      parts.text.textContent = "";
      parts.text.appendChild(parts.heading);
      parts.text.appendChild(document.createTextNode(" " + (count ? count + " " : "") + text));
    } else {
      parts.text.textContent = text;
      if (count) aside.insertBefore(element("p", "digest-support__count", count), parts.text);
    }
    var actions = element("div", "digest-support__actions");
    parts.button.parentNode.insertBefore(actions, parts.button);
    actions.appendChild(parts.button);
    var notNow = control(actions, "digest-support__not-now", config.texts.not_now);
    var member = control(actions, "digest-support__already", config.texts.already_member);
    aside.classList.add("digest-support--enhanced");
    aside.setAttribute("data-digest-wording", wording.name);

    parts.button.addEventListener("click", function () { send("appeal-click", { action: "support" }); });
    notNow.addEventListener("click", function () {
      state.dismissedUntil = Date.now() + config.dismissDays * DAY;
      save();
      send("appeal-click", { action: "not_now" });
      quiet(aside, parts.button, true);
    });
    member.addEventListener("click", function () {
      state.memberUntil = Date.now() + config.memberDays * DAY;
      save();
      send("appeal-click", { action: "already_member" });
      thank(aside, true);
    });
    send("appeal-view", { form: list ? "list" : "full" });
  }

  // The one-line form: a sentence and the same link, quietly. After "Not now" the focus moves
  // to it (the control the reader used is gone), so a screen reader says what happened.
  function quiet(aside, button, focus) {
    var line = element("p", "digest-support__quiet", config.texts.quiet + " ");
    var link = element("a", "digest-support__link", button.textContent);
    link.href = button.getAttribute("href");
    link.addEventListener("click", function () { send("appeal-click", { action: "support" }); });
    line.appendChild(link);
    replaceContent(aside, line, "digest-support--quiet", focus);
    if (!focus) send("appeal-view", { form: "quiet" });     // shown on arrival, not after a click
  }

  function thank(aside, focus) {
    replaceContent(aside, element("p", "digest-support__thanks", config.texts.thanks),
                   "digest-support--member", focus);
  }

  function replaceContent(aside, line, modifier, focus) {
    aside.textContent = "";
    aside.appendChild(line);
    aside.classList.add("digest-support--enhanced", modifier);
    aside.setAttribute("data-digest-wording", wording.name);
    if (focus) {
      line.setAttribute("tabindex", "-1");
      line.focus();
    }
  }

  function countLine() {
    var count = Object.keys(state.reads).length;
    var words = wording.count === false ? "" : wording.count || config.texts.count;
    if (!words || !config.countFrom || count < config.countFrom) return "";
    return words.split("{count}").join(String(count));
  }

  function fixed(el) { return el.hasAttribute("data-digest-fixed"); }

  function ownText(el, list) {
    // The list form's text follows the heading inside the same paragraph.
    if (!list) return el.textContent;
    var words = [];
    for (var node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) words.push(node.textContent);
    }
    return words.join("").trim();
  }

  function control(parent, className, label) {
    var button = element("button", className, label);
    button.type = "button";
    parent.appendChild(button);
    return button;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  // --- What this browser remembers --------------------------------------------------------

  function readConfig() {
    var block = document.getElementById("digest-appeal-config");
    try {
      return block ? JSON.parse(block.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  function openStorage() {
    try {
      var store = window.localStorage;
      store.setItem(KEY + "-probe", "1");
      store.removeItem(KEY + "-probe");
      return store;
    } catch (error) {
      return null;            // storage off or full: the static appeal stays as it is
    }
  }

  function load() {
    var saved = null;
    try {
      saved = JSON.parse(storage.getItem(KEY) || "null");
    } catch (error) {
      saved = null;
    }
    saved = saved && typeof saved === "object" ? saved : {};
    return {
      bucket: saved.bucket,
      reads: saved.reads && typeof saved.reads === "object" ? saved.reads : {},
      shown: Array.isArray(saved.shown) ? saved.shown : [],
      dismissedUntil: Number(saved.dismissedUntil) || 0,
      memberUntil: Number(saved.memberUntil) || 0
    };
  }

  function prune() {
    var reads = Object.keys(state.reads).filter(function (page) {
      return now - state.reads[page] < WINDOW;
    }).sort(function (a, b) { return state.reads[b] - state.reads[a]; }).slice(0, MAX_READS);
    var kept = {};
    reads.forEach(function (page) { kept[page] = state.reads[page]; });
    state.reads = kept;
    state.shown = state.shown.filter(function (time) { return now - time < DAY; });
  }

  function save() {
    try {
      storage.setItem(KEY, JSON.stringify(state));
    } catch (error) {
      // Full storage: this page still shows the right form; the next one starts afresh.
    }
  }

  // The return address (?member=1) is not worth sharing or bookmarking: drop it from the bar.
  function forgetMemberAddress() {
    if (!window.history || !history.replaceState) return;
    var url = new URL(location.href);
    url.searchParams.delete("member");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }

  // --- Optional analytics: events only, no cookies, nothing but the wording and the form ---

  function send(name, props) {
    var service = config.analytics;
    if (!service) return;
    props.variant = wording.name;
    var request;
    try {
      if (service.provider === "plausible") {
        request = fetch(service.endpoint, {
          method: "POST", keepalive: true, credentials: "omit", mode: "no-cors",
          headers: { "Content-Type": "text/plain" },
          body: JSON.stringify({ name: name, url: location.origin + location.pathname,
                                 domain: service.site, props: props })
        });
      } else if (service.provider === "goatcounter") {
        var path = [name, props.variant, props.form || props.action].join("/");
        request = fetch(service.endpoint + "?e=true&p=" + encodeURIComponent(path) +
                        "&t=" + encodeURIComponent(path), {
          keepalive: true, credentials: "omit", mode: "no-cors"
        });
      } else if (service.provider === "umami") {
        request = fetch(service.endpoint, {
          method: "POST", keepalive: true, credentials: "omit",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ type: "event", payload: {
            website: service.site, hostname: location.hostname, url: location.pathname,
            name: name, data: props } })
        });
      }
    } catch (error) {
      return;
    }
    if (request) request.catch(function () {});
  }
})();
