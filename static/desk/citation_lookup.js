// "Look up" on the citation form, in place: asks the desk's lookup endpoint for what the DOI
// or PMID typed names, then fills in the fields, or links the citation already on file, or says
// why neither. Without this script the button posts the form and the admin does the same.
// No inline script: the settings come from this <script> tag's data attributes.
(function () {
  "use strict";

  const script = document.currentScript;
  const lookupUrl = script.dataset.lookupUrl;
  const citation = script.dataset.citation;

  function input(name) {
    return document.getElementById("id_" + name);
  }

  // Parts are strings and elements: nothing from the server is ever parsed as HTML.
  function say(status, ...parts) {
    status.replaceChildren(...parts);
  }

  function fill(fields) {
    for (const [name, value] of Object.entries(fields)) {
      const field = input(name);
      if (field) {
        field.value = value;
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  }

  function onFile(existing) {
    const link = document.createElement("a");
    link.href = existing.admin_url;
    link.textContent = existing.label;
    return link;
  }

  async function lookUp(event) {
    event.preventDefault();
    const button = event.currentTarget;
    const status = button.parentElement.querySelector(".ct-lookup-status");
    const typed = input("doi").value.trim() || input("pmid").value.trim();
    const url = new URL(lookupUrl, window.location.href);
    url.searchParams.set("identifier", typed);
    if (citation) {
      url.searchParams.set("citation", citation);
    }
    button.disabled = true;
    say(status, "Looking up…");
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (answer.fields) {
        fill(answer.fields);
        say(status, "Filled in; nothing is saved yet. Check the fields, then save.");
      } else if (answer.existing) {
        say(status, "Already on file: ", onFile(answer.existing), ". Use it rather than adding it again.");
      } else {
        say(status, answer.error || "The lookup failed. Fill in the fields by hand.");
      }
    } catch (error) {
      // Not JSON (a login page after the session ended) or no connection.
      say(status, "The lookup could not be made. Reload the page and try again, or fill in the fields by hand.");
    } finally {
      button.disabled = false;
    }
  }

  for (const button of document.querySelectorAll('button[name="_lookup"]')) {
    button.addEventListener("click", lookUp);
  }
})();
