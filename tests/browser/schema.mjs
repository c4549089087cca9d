// The editor schema, checked as editors use it: every record and translation of a site is parsed
// as YAML 1.2 (the `yaml` package, which VS Code's YAML extension uses too; the front matter of a
// .md file, a whole .yaml file) and validated with Ajv (JSON Schema 2020-12) against the output
// of `bilat schema`. Sites: the bundled one ($REPO) and the valid fixture. Then records that bilat
// rejects must fail. Needs $BILAT (the binary) and $REPO.
import Ajv2020 from "ajv/dist/2020.js";
import YAML from "yaml";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const REPO = process.env.REPO;
let checks = 0;
let failures = 0;
function check(ok, message) {
  checks++;
  if (!ok) { failures++; console.log("FAIL " + message); }
}

// The validators of one site: `<collection>` and `<collection>.translation`.
function validators(root) {
  const schema = JSON.parse(execFileSync(process.env.BILAT, ["schema", "--root", root], { encoding: "utf8" }));
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addSchema(schema, "site");
  const out = {};
  for (const name of Object.keys(schema.$defs)) out[name] = ajv.getSchema(`site#/$defs/${name}`);
  return out;
}

// The YAML of a content file: the front matter of .md, the whole of .yaml/.yml.
function yamlOf(file) {
  const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  if (!file.endsWith(".md")) return text;
  const m = text.match(/^---\n([\s\S]*?)\n---(\n|$)/);
  return m ? m[1] : "";
}

function parse(text) {
  const doc = YAML.parseDocument(text, { version: "1.2", schema: "core" });
  if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join("; "));
  return doc.toJS() ?? {};
}

// Every entry and translation under content/<collection>/ of the site at `root`.
function records(root, collections) {
  const out = [];
  for (const c of collections) {
    const dir = path.join(root, "content", c);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const m = name.match(/^([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.([a-z]{2,3}(?:-[a-z0-9]+)?))?\.(md|ya?ml)$/);
      if (!m) continue;
      out.push({ file: path.join(dir, name), collection: c, translation: Boolean(m[2]) });
    }
  }
  return out;
}

function errorsOf(validate) {
  return (validate.errors || []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
}

for (const root of [REPO, path.join(REPO, "tests/fixtures/valid")]) {
  const v = validators(root);
  const collections = Object.keys(v).filter((n) => !n.endsWith(".translation"));
  const found = records(root, collections);
  const counts = { entries: 0, translations: 0 };
  for (const r of found) {
    const validate = v[r.translation ? `${r.collection}.translation` : r.collection];
    let data;
    try { data = parse(yamlOf(r.file)); } catch (e) { check(false, `schema: ${r.file} is not YAML 1.2: ${e.message}`); continue; }
    check(validate(data), `schema: ${path.relative(REPO, r.file)} fails the ${r.translation ? "translation " : ""}schema: ${errorsOf(validate)}`);
    counts[r.translation ? "translations" : "entries"]++;
  }
  check(counts.entries > 0, `schema: no records found under ${root}`);
  console.log(`schema: ${path.relative(REPO, root) || "bundled site"}: ${counts.entries} records and ${counts.translations} translations checked`);
}

// Records bilat rejects fail the schema too.
{
  const v = validators(path.join(REPO, "tests/fixtures/valid"));
  const good = parse(yamlOf(path.join(REPO, "tests/fixtures/valid/content/visits/amina-khan-borduria-2024.md")));
  check(v.visits(good), `schema: the fixture visit should pass: ${errorsOf(v.visits)}`);
  check(v.visits({ ...good, date: 2024 }), "schema: a year-only date (YAML integer) should pass");
  check(v.visits({ ...good, visitor: "officials/li-wei" }), "schema: a collection/id reference should pass");
  const bad = {
    "an unknown reference": { ...good, visitor: "nobody-at-all" },
    "a date in words": { ...good, date: "May 2024" },
    "an impossible month": { ...good, date: "2024-13" },
    "an unknown field": { ...good, visiter: "amina-khan" },
    "a missing required field": Object.fromEntries(Object.entries(good).filter(([k]) => k !== "visitor")),
    "a kind not in the list": { ...good, kind: "holiday" },
    "a source without a title": { ...good, sources: [{ url: "https://example.org/" }] },
    "a list of mappings where ids are expected": { ...good, hosts: [{ id: "li-wei" }] },
  };
  for (const [what, record] of Object.entries(bad)) check(!v.visits(record), `schema: a visit with ${what} passes`);
  const translation = parse("title: \"ترجمہ\"\nsummary: \"خلاصہ\"\n");
  check(v["visits.translation"](translation), `schema: a translation of text fields should pass: ${errorsOf(v["visits.translation"])}`);
  check(!v["visits.translation"]({ ...translation, date: "2024-02-05" }), "schema: a translation that sets the date passes");
  check(!v["visits.translation"]({ ...translation, visitor: "li-wei" }), "schema: a translation that sets a reference passes");
}

console.log(`schema: ${checks - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
