//! The data dictionary (`/data/` in every language): each collection's fields as the schema in
//! `site.toml` declares them (name, label, type, whether required, help), with links to the
//! collection's JSON and CSV exports. Labels and titles in the page's language when the theme or
//! the site translates them.

use super::*;

#[derive(Serialize)]
struct DictCollection {
    name: String,
    title: String,
    url: String,
    json: String,
    csv: String,
    count: usize,
    fields: Vec<DictField>,
}

#[derive(Serialize)]
struct DictField {
    name: String,
    label: String,
    ty: String,
    required: bool,
    help: String,
}

impl<'a> Renderer<'a> {
    pub(super) fn dictionary(&self, l: &LangData<'a>) -> Result<OutputFile, Diagnostic> {
        let route = SitePage::Dictionary.route();
        let title = l.text("dictionary", "Data dictionary");
        let mut ctx = self.web_page_context(l, SitePage::Dictionary, &title);
        let base_path = self.config.base_path();
        let collections: Vec<DictCollection> = self
            .config
            .collections
            .iter()
            .zip(&l.site.nav)
            .map(|(c, nav)| DictCollection {
                name: c.name.clone(),
                title: nav.title.clone(),
                url: nav.url.clone(),
                json: format!("{base_path}{}", routes::data(&c.name)),
                csv: format!("{base_path}{}", routes::data_csv(&c.name)),
                count: self
                    .linked
                    .entries
                    .iter()
                    .filter(|e| e.collection == c.name)
                    .count(),
                fields: c
                    .fields
                    .iter()
                    .map(|f| DictField {
                        name: f.name.clone(),
                        label: l
                            .strings
                            .get(&format!("field_{}_{}", c.name, f.name))
                            .cloned()
                            .unwrap_or_else(|| l.text(&format!("field_{}", f.name), &f.label)),
                        ty: f.ty.describe(),
                        required: f.required,
                        help: f.help.clone().unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect();
        ctx.insert("collections", &collections);
        let labels: BTreeMap<&str, String> = [
            ("intro", l.text("dictionary_intro", "Every collection's fields, as the site's schema declares them, and its records as JSON and CSV.")),
            ("field", l.text("dictionary_field", "Field")),
            ("label", l.text("dictionary_label", "Label")),
            ("type", l.text("dictionary_type", "Type")),
            ("required", l.text("dictionary_required", "Required")),
            ("help", l.text("dictionary_help", "Notes")),
            ("records", l.text("dictionary_records", "records")),
            ("yes", l.text("value_yes", "yes")),
            ("no", l.text("value_no", "no")),
        ]
        .into_iter()
        .collect();
        ctx.insert("labels", &labels);
        self.page_file(l, route.path, "dictionary.html", &ctx)
    }
}
