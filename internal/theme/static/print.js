// The print button: hidden until this script shows it, since without
// scripts it could do nothing (the browser's own Print command gives the
// same page, laid out by print.css).
for (const b of document.querySelectorAll("button[data-print]")) {
  b.hidden = false;
  b.addEventListener("click", () => window.print());
}
