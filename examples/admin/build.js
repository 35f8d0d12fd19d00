// Copies the portal's pages into dist/, the folder the deploy step uploads.
const fs = require("fs");
const path = require("path");
const out = path.join(__dirname, "dist");
fs.mkdirSync(out, { recursive: true });
for (const page of ["index.html", "404.html"]) {
  fs.copyFileSync(path.join(__dirname, "src", page), path.join(out, page));
}
