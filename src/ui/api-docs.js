// The API page: Swagger UI over the document every node serves. "Try it out" calls this node; the
// calls that change streams need the API token (Authorize), when one is set.
window.SwaggerUIBundle({
  url: '/api/v1/openapi.yaml',
  dom_id: '#api',
  deepLinking: true,
});
