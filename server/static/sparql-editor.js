// The query editor: YASGUI on this server's /sparql, one tab per canned query.
// The endpoint must be absolute (YASGUI breaks on a relative URL), so it is built from
// location.origin. Nothing is loaded from other hosts: no endpoint catalogue, no prefix.cc.
// Results show IRIs with the query's prefixes (then ours, e.g. xsd: for datatypes), and the
// dataset's IRIs link to this host (as the pages do): the base IRI may be a published domain
// that a local install does not serve.
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  var config = JSON.parse(element.dataset.editor);
  var endpoint = location.origin + "/sparql";
  var prologue = Object.keys(config.prefixes).map(function (name) {
    return "PREFIX " + name + ": <" + config.prefixes[name] + ">";
  }).join("\n");

  var base = config.base;
  var local = location.origin + "/";
  var table = Yasgui.Yasr.plugins.table;
  var link = table.prototype.getUriLinkFromBinding;
  // YASR writes the IRI itself as the href, in HTML that DOMPurify has re-serialized (double
  // quotes; a base IRI has nothing to escape); /id/… on this host redirects to the entity's page.
  table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    var html = link.call(this, binding, prefixes);
    if (base && binding.value.indexOf(base) === 0) {
      html = html.split('href="' + base).join('href="' + local).split("href='" + base).join("href='" + local);
    }
    return html;
  };

  Yasgui.defaults.requestConfig.endpoint = endpoint;
  Yasgui.defaults.requestConfig.method = "POST";
  Yasgui.defaults.yasqe.value = prologue + "\n\nSELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n";
  var yasgui = new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["variables"], prefixCcApi: null },
    // YASGUI adds the query's own prefixes to these (the query's win).
    yasr: { prefixes: config.prefixes },
  });
  // Start from the canned queries only: drop whatever tab YASGUI opened by default.
  var initial = Object.keys(yasgui._tabs);
  config.tabs.forEach(function (tab, index) {
    yasgui.addTab(index === 0, {
      name: tab.name,
      id: "canned-" + tab.id,
      yasqe: { value: tab.query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
  });
  initial.forEach(function (id) {
    var tab = yasgui.getTab(id);
    if (tab && config.tabs.length) { tab.close(); }
  });
  window.twinkgYasgui = yasgui;
})();
