/* The classroom page's behaviour: folding, keyboard navigation (the WAI-ARIA
   tree pattern), the search box and projector mode. The whole debate is in the
   HTML without this script; it only adds behaviour, and reads the text it
   searches from the page (it never writes knowledge-base text as HTML). */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  root.classList.add("js");

  var controls = doc.getElementById("controls");
  var search = doc.getElementById("search");
  var status = doc.getElementById("search-status");
  var projector = doc.getElementById("projector");
  var items = Array.prototype.slice.call(doc.querySelectorAll('[role="treeitem"]'));
  var trees = Array.prototype.slice.call(doc.querySelectorAll('[role="tree"]'));
  var sections = Array.prototype.slice.call(doc.querySelectorAll("main > .question"));
  var lastFocused = null;
  controls.hidden = false;

  function childGroup(item) {
    for (var i = 0; i < item.children.length; i++) {
      if (item.children[i].getAttribute("role") === "group") { return item.children[i]; }
    }
    return null;
  }
  function parentItem(item) {
    var group = item.parentElement;
    return group && group.getAttribute("role") === "group" ? group.parentElement : null;
  }
  function treeOf(item) { return item.closest('[role="tree"]'); }
  function isOpen(item) { return item.getAttribute("aria-expanded") === "true"; }
  function canFold(item) { return item.hasAttribute("aria-expanded"); }
  function setOpen(item, open) {
    if (canFold(item)) { item.setAttribute("aria-expanded", open ? "true" : "false"); }
  }
  function visibleItems(tree) {
    return Array.prototype.filter.call(tree.querySelectorAll('[role="treeitem"]'), function (item) {
      return item.getClientRects().length > 0;
    });
  }
  function focusItem(item) {
    var tree = treeOf(item);
    Array.prototype.forEach.call(tree.querySelectorAll('[role="treeitem"]'), function (other) {
      other.tabIndex = other === item ? 0 : -1;
    });
    lastFocused = item;
    item.focus();
  }
  function quoteOf(item) {
    var entry = item.firstElementChild;
    return entry ? entry.querySelector("details.quote") : null;
  }

  // One tab stop per tree (a roving tabindex); links and quote toggles inside
  // the tree are reached with the keys below instead.
  trees.forEach(function (tree) {
    Array.prototype.forEach.call(tree.querySelectorAll("summary, a"), function (el) { el.tabIndex = -1; });
    var first = tree.querySelector('[role="treeitem"]');
    if (first) { first.tabIndex = 0; }
  });
  items.forEach(function (item) {
    if (item.tabIndex !== 0) { item.tabIndex = -1; }
  });

  doc.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "/" && target !== search && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      event.preventDefault();
      search.focus();
      search.select();
      return;
    }
    if (target === search) {
      if (event.key === "Escape") {
        search.value = "";
        filter();
        if (lastFocused && lastFocused.getClientRects().length) { focusItem(lastFocused); }
      } else if (event.key === "ArrowDown" || event.key === "Enter") {
        var hit = doc.querySelector(".hit");
        if (hit) { event.preventDefault(); focusItem(hit); }
      }
      return;
    }
    if ((event.key === "n" || event.key === "N") && root.classList.contains("filtering")
        && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      var hits = Array.prototype.slice.call(doc.querySelectorAll(".hit"));
      if (hits.length) {
        event.preventDefault();
        var at = hits.indexOf(target);
        var step = event.key === "n" ? 1 : hits.length - 1;
        focusItem(hits[at < 0 ? 0 : (at + step) % hits.length]);
      }
      return;
    }
    if (!target.getAttribute || target.getAttribute("role") !== "treeitem") { return; }
    var item = target;
    var shown = visibleItems(treeOf(item));
    var index = shown.indexOf(item);
    var handled = true;
    switch (event.key) {
      case "ArrowDown": if (index + 1 < shown.length) { focusItem(shown[index + 1]); } break;
      case "ArrowUp": if (index > 0) { focusItem(shown[index - 1]); } break;
      case "Home": if (shown.length) { focusItem(shown[0]); } break;
      case "End": if (shown.length) { focusItem(shown[shown.length - 1]); } break;
      case "ArrowRight":
        if (canFold(item) && !isOpen(item)) { setOpen(item, true); }
        else if (canFold(item) && index + 1 < shown.length) { focusItem(shown[index + 1]); }
        break;
      case "ArrowLeft":
        if (canFold(item) && isOpen(item)) { setOpen(item, false); }
        else if (parentItem(item)) { focusItem(parentItem(item)); }
        break;
      case "Enter": setOpen(item, !isOpen(item)); break;
      case " ":
        var quote = quoteOf(item);
        if (quote) { quote.open = !quote.open; }
        break;
      case "*":
        Array.prototype.forEach.call(item.parentElement.children, function (sibling) { setOpen(sibling, true); });
        break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  doc.addEventListener("click", function (event) {
    var target = event.target;
    var item = target.closest ? target.closest('[role="treeitem"]') : null;
    if (!item) { return; }
    if (target.classList.contains("twisty")) { setOpen(item, !isOpen(item)); }
    if (!target.closest("summary, a")) { focusItem(item); }
  });

  function foldAll(open) {
    items.forEach(function (item) { setOpen(item, open); });
  }
  doc.getElementById("unfold-all").addEventListener("click", function () { foldAll(true); });
  doc.getElementById("fold-all").addEventListener("click", function () { foldAll(false); });

  // Projector mode starts at the map, is kept in the URL (#projector, so a
  // link or a bookmark chooses it) and remembered on reload.
  var PROJECTOR = "#projector";
  function remember(on) {
    try { window.localStorage.setItem("policyx-projector", on ? "1" : "0"); } catch (e) { /* no storage */ }
  }
  function remembered() {
    try { return window.localStorage.getItem("policyx-projector") === "1"; } catch (e) { return false; }
  }
  function toMap() {
    // the first question's map itself: its heading, quotes and outcome are
    // above it, a scroll up (they would fill the first screen on a projector)
    var first = doc.querySelector('main [role="tree"]') || doc.getElementById("main");
    if (first) { window.scrollTo(0, first.getBoundingClientRect().top + window.pageYOffset - controls.offsetHeight - 8); }
  }
  function setProjector(on, scroll) {
    root.classList.toggle("projector", on);
    projector.setAttribute("aria-pressed", on ? "true" : "false");
    var url = window.location.href.split("#")[0];
    if (on && window.location.hash !== PROJECTOR) { window.history.replaceState(null, "", url + PROJECTOR); }
    if (!on && window.location.hash === PROJECTOR) { window.history.replaceState(null, "", url); }
    if (on && scroll) { toMap(); }
  }
  projector.addEventListener("click", function () {
    var on = !root.classList.contains("projector");
    remember(on);
    setProjector(on, true);
  });
  window.addEventListener("hashchange", function () {
    if (window.location.hash === PROJECTOR) { remember(true); setProjector(true, true); }
  });
  if (window.location.hash === PROJECTOR) {
    remember(true);
    setProjector(true, true);
  } else if (remembered() && !window.location.hash) {
    setProjector(true, true);
  }

  // Search: every word must occur in an entry's claim, who, interpretation,
  // note or quote (or in its question). Matching entries are marked, the
  // entries above them kept as their path; the rest is hidden while searching.
  function textOf(node) {
    return Array.prototype.map.call(
      node.querySelectorAll(".claim, .who, .interp, .note, blockquote, .qtext"),
      function (el) { return el.textContent; }
    ).join(" ").toLowerCase();
  }
  var texts = items.map(function (item) {
    return textOf(item.firstElementChild) + " " + item.getAttribute("data-id");
  });
  var questionTexts = sections.map(function (section) { return textOf(section.querySelector("h2")); });

  function filter() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    items.forEach(function (item) { item.classList.remove("hit", "path"); });
    sections.forEach(function (section) { section.classList.remove("nohit"); });
    if (!words.length) {
      root.classList.remove("filtering");
      status.textContent = "";
      return;
    }
    root.classList.add("filtering");
    function matches(text) { return words.every(function (word) { return text.indexOf(word) >= 0; }); }
    var hits = 0;
    items.forEach(function (item, i) {
      if (!matches(texts[i])) { return; }
      item.classList.add("hit");
      hits += 1;
      for (var up = parentItem(item); up; up = parentItem(up)) { up.classList.add("path"); }
    });
    sections.forEach(function (section, i) {
      var whole = matches(questionTexts[i]);
      if (whole) {
        Array.prototype.forEach.call(section.querySelectorAll('[role="treeitem"]'), function (item) {
          item.classList.add("path");
        });
      }
      section.classList.toggle("nohit", !whole && !section.querySelector(".hit"));
    });
    var shownQuestions = sections.filter(function (section) { return !section.classList.contains("nohit"); });
    status.textContent = hits || shownQuestions.length
      ? hits + " of " + items.length + " entries match, in " + shownQuestions.length + " question"
        + (shownQuestions.length === 1 ? "" : "s")
      : "Nothing matches; press Esc to clear the search.";
  }
  // As you type, the page scrolls to the first match (focus stays in the box).
  search.addEventListener("input", function () {
    filter();
    var first = doc.querySelector(".hit") || doc.querySelector("main > .question:not(.nohit)");
    if (first && root.classList.contains("filtering")) {
      window.scrollTo(0, first.getBoundingClientRect().top + window.pageYOffset - controls.offsetHeight - 8);
    }
  });
  if (search.value) { filter(); }
})();
