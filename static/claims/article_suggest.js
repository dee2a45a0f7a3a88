// Suggest articles as a reader types in an article field: fills the field's <datalist> with
// up to ten titles from /articles/suggest.json. Each suggestion's value is the article's slug,
// which selects exactly that article. Without this script the field takes words, and the list
// page names the articles they match.
(function () {
  "use strict";

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest-url");
    var timer = null;
    var asked = "";
    if (!list || !url) return;

    function fill(articles) {
      list.replaceChildren();
      articles.forEach(function (article) {
        var option = document.createElement("option");
        option.value = article.slug;
        option.label = article.title;
        option.textContent = article.title;
        list.appendChild(option);
      });
    }

    function ask() {
      var words = input.value.trim();
      if (words.length < 2 || words === asked) return;
      asked = words;
      fetch(url + "?q=" + encodeURIComponent(words), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { articles: [] }; })
        .then(function (data) { if (input.value.trim() === words) fill(data.articles || []); })
        .catch(function () { /* no suggestions: the field still takes words */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
  }

  document.querySelectorAll("input[data-suggest-url][list]").forEach(attach);
})();
