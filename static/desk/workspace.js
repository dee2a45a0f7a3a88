// The claim workspace without page loads: a selection in the article fills the new claim's
// quote and position; forms post in the background and the page swaps in the answer; typing a
// statement lists the claims that say much the same. Without JavaScript every part still works
// through plain links and forms.
(function () {
  "use strict";

  function textOf(spans) {
    // The article's characters by offset, from the pieces that carry data-start.
    const pieces = [];
    spans.forEach(function (span) {
      pieces.push([Number(span.dataset.start), span.textContent]);
    });
    return pieces;
  }

  function offsetIn(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const span = node.parentElement.closest("[data-start]");
      return span ? Number(span.dataset.start) + offset : null;
    }
    // An element boundary: the piece at or after it.
    const child = node.childNodes[offset] || node;
    const span = child.querySelector ? (child.matches && child.matches("[data-start]") ? child : child.querySelector("[data-start]")) : null;
    return span ? Number(span.dataset.start) : null;
  }

  function passage(start, end) {
    const spans = document.querySelectorAll("#ws-text [data-start]");
    let text = "";
    let at = start;
    textOf(spans).forEach(function (piece) {
      const pieceStart = piece[0];
      const pieceEnd = pieceStart + piece[1].length;
      if (pieceEnd <= start || pieceStart >= end) return;
      if (pieceStart > at) text += "\n\n"; // a paragraph break between pieces
      const from = Math.max(start, pieceStart) - pieceStart;
      const to = Math.min(end, pieceEnd) - pieceStart;
      text += piece[1].slice(from, to);
      at = pieceStart + to;
    });
    const lead = text.length - text.trimStart().length;
    return { start: start + lead, quote: text.trim() };
  }

  function fillQuote(start, end) {
    const form = document.getElementById("new-claim");
    if (!form) {
      swap(location.pathname + "?start=" + start + "&end=" + end + "#panel");
      return;
    }
    const found = passage(start, end);
    if (!found.quote) return;
    form.elements.quote.value = found.quote;
    form.elements.start.value = found.start;
    form.querySelectorAll(".ws-occurrences").forEach(function (el) { el.remove(); });
  }

  document.addEventListener("mouseup", selectionToForm);
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Enter") selectionToForm();
  });

  function selectionToForm() {
    const selection = window.getSelection();
    const text = document.getElementById("ws-text");
    if (!selection || selection.isCollapsed || !text) return;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
    const start = offsetIn(range.startContainer, range.startOffset);
    const end = offsetIn(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    fillQuote(start, end);
  }

  document.addEventListener("click", function (event) {
    const take = event.target.closest(".ws-take");
    if (take && document.getElementById("new-claim")) {
      event.preventDefault();
      fillQuote(Number(take.dataset.start), Number(take.dataset.end));
      document.getElementById("id_statement").focus();
      return;
    }
    const join = event.target.closest("[data-join-group]");
    if (join) {
      event.preventDefault();
      const select = document.getElementById("id_group");
      select.value = join.dataset.joinGroup;
      join.textContent = "Joined ✓";
      return;
    }
    const link = event.target.closest("#ws-text a.ws-claim, .ws-panel a[href^='?'], .ws-panel a[href*='/workspace/']");
    if (link && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      swap(link.href);
    }
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.closest("#ct-workspace") && form.id !== "dismiss-candidate") return;
    event.preventDefault();
    const data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text().then(function (html) { return [response, html]; }); })
      .then(function (result) { replacePage(result[1], result[0].url); });
  });

  function swap(url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.text().then(function (html) { return [response, html]; }); })
      .then(function (result) { replacePage(result[1], url); });
  }

  function replacePage(html, url) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const next = page.getElementById("container");
    if (!next) { location.href = url; return; }
    document.getElementById("container").replaceWith(next);
    history.replaceState(null, "", url);
    const panel = document.getElementById("panel");
    const error = document.querySelector(".errorlist, .messagelist");
    if (error) error.scrollIntoView({ block: "center" });
    else if (panel) panel.scrollIntoView({ block: "start" });
  }

  // Citations on file, as a source is typed (a DOI or PMID is looked up on saving instead).
  let searchTimer = null;
  document.addEventListener("input", function (event) {
    if (event.target.id !== "id_source") return;
    clearTimeout(searchTimer);
    const input = event.target;
    searchTimer = setTimeout(function () {
      const form = input.form;
      const list = document.getElementById("citations-on-file");
      if (input.value.trim().length < 3 || !list) return;
      fetch(form.dataset.citationSearch + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { citations: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.citations.map(function (citation) {
            const option = document.createElement("option");
            option.value = citation.source;
            option.label = citation.label;
            return option;
          }));
        });
    }, 250);
  });

  // Similar claims, as the statement is typed.
  let timer = null;
  document.addEventListener("input", function (event) {
    if (event.target.id !== "id_statement") return;
    clearTimeout(timer);
    timer = setTimeout(function () { similar(event.target.value); }, 350);
  });

  function similar(statement) {
    const form = document.getElementById("new-claim");
    const box = document.getElementById("ws-similar");
    if (!form || !box || statement.trim().length < 10) return;
    fetch(form.dataset.similarUrl + "?statement=" + encodeURIComponent(statement), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { claims: [] }; })
      .then(function (data) {
        box.replaceChildren();
        if (!data.claims.length) return;
        const heading = document.createElement("h3");
        heading.textContent = "Claims that say much the same";
        const list = document.createElement("ul");
        list.className = "ws-similar";
        data.claims.forEach(function (claim) {
          const item = document.createElement("li");
          item.textContent = claim.statement + " (" + claim.article + ") ";
          const badge = document.createElement("span");
          badge.className = "ct-badge ct-status-" + claim.status;
          badge.textContent = claim.status_label;
          item.appendChild(badge);
          if (claim.group) {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "button";
            button.dataset.joinGroup = claim.group.id;
            button.textContent = "Join “" + claim.group.name + "”";
            item.append(" ", button);
          }
          list.appendChild(item);
        });
        box.append(heading, list);
      });
  }
})();
