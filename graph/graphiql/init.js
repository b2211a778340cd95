// Starts GraphiQL against the API next to this page (/graphql), with the
// caller's token if one was stored under "guigen.token".
(function () {
  var endpoint = new URL('../graphql', window.location.href).toString();
  var headers = {};
  var token = window.localStorage.getItem('guigen.token');
  if (token) headers.Authorization = 'Bearer ' + token;
  var fetcher = GraphiQL.createFetcher({ url: endpoint, headers: headers });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolbarOpen: true,
    defaultQuery: '# 归根 Guigen GraphQL API\n{\n  martyrs(first: 5) {\n    totalCount\n    edges { node { id name hometown { name } } }\n  }\n}\n'
  }));
})();
