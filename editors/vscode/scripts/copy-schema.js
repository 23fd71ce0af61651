// Copies the model's JSON Schema (archflow.schema.json at the repository root, which a Rust test
// keeps equal to `archflow schema`) into the extension, where `yamlValidation` points.
const fs = require("fs");
const path = require("path");

const from = path.join(__dirname, "..", "..", "..", "archflow.schema.json");
const to = path.join(__dirname, "..", "archflow.schema.json");
fs.copyFileSync(from, to);
