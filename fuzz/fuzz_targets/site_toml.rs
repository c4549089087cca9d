//! `site.toml` checking: arbitrary text through the TOML parser and every schema check, and the
//! resulting diagnostics through each output format.
#![no_main]

use bilat::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match bilat::stages::parse_config(text) {
        Ok(config) => {
            let _ = config.base_path();
            for c in &config.collections {
                let _ = bilat::stages::collection_schema(&config, c);
                let _ = bilat::stages::scaffold(c, "Title");
            }
        }
        Err(mut diags) => {
            bilat::stages::sort_diagnostics(&mut diags);
            for format in [Format::Human, Format::Json, Format::Github] {
                let _ = bilat::render_all(&diags, format, false);
            }
        }
    }
});
