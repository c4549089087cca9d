//! `site.toml` checking: arbitrary text through the TOML parser and every schema check, and the
//! resulting diagnostics through each output format.
#![no_main]

use bilat::diagnostics::{self, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match bilat::config::parse(text) {
        Ok(config) => {
            let _ = config.base_path();
            for c in &config.collections {
                let _ = bilat::json_schema::collection_schema(&config, c);
                let _ = bilat::scaffold::scaffold(c, "Title");
            }
        }
        Err(mut diags) => {
            diagnostics::sort(&mut diags);
            for format in [Format::Human, Format::Json, Format::Github] {
                let _ = diagnostics::render_all(&diags, format, false);
            }
        }
    }
});
