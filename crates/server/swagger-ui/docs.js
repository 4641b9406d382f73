// Parlo's Swagger UI setup (served at /docs/docs.js; the page has no inline script).
// Authorize keeps the API key across reloads (persistAuthorization, localStorage).
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
});
