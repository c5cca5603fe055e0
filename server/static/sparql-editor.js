// The query editor: YASGUI on this server's /sparql, one tab per canned query.
// The endpoint must be absolute (YASGUI breaks on a relative URL), so it is built from
// location.origin. Nothing is loaded from other hosts: no endpoint catalogue, no prefix.cc.
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  var config = JSON.parse(element.dataset.editor);
  var endpoint = location.origin + "/sparql";
  var prologue = Object.keys(config.prefixes).map(function (name) {
    return "PREFIX " + name + ": <" + config.prefixes[name] + ">";
  }).join("\n");

  Yasgui.defaults.requestConfig.endpoint = endpoint;
  Yasgui.defaults.requestConfig.method = "POST";
  Yasgui.defaults.yasqe.value = prologue + "\n\nSELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n";
  var yasgui = new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["variables"], prefixCcApi: null },
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
