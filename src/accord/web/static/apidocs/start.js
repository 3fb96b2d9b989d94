// Start Swagger UI on accord's own schema; every asset comes from this server (no CDN).
// Deep links are off: they put a link inside each operation's button (nested controls).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false,
    validatorUrl: null,
    syntaxHighlight: false, // its colours on dark grey fall below 4.5:1
    withCredentials: true,
  });
});
