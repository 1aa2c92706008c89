//! The files of a scenario folder besides its Markdown: the diagrams, logs and tables a scenario
//! embeds or links. They are copied into the site, where a learner can open them directly, in the
//! origin that holds a remembered API key. So only an allow-list of inert types may ship: images
//! (each checked to be what its name says; SVG parsed and checked, see [`super::svg`]) and plain
//! text. Anything a browser or a web server would run is refused by name.

use super::bidi;
use super::diagnostics::Diagnostic;
use super::markdown::IMAGE_EXTENSIONS;
use super::source::SourceFile;
use super::svg;
use std::path::Path;

/// Plain-text files a scenario may link (served as text, never run).
pub const TEXT_EXTENSIONS: &[&str] = &[
    "txt", "log", "csv", "tsv", "json", "yaml", "yml", "toml", "sql", "diff", "patch", "conf",
    "ini",
];

/// Types a browser runs as a document or script, or a web server as a program: named in the
/// refusal so the author knows it is not an oversight.
const EXECUTABLE_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt", "svgz", "js", "mjs", "cjs",
    "wasm", "mht", "mhtml", "swf", "hta", "php", "phtml", "asp", "aspx", "jsp", "cgi",
];

/// The extension of a file name, lowercased: what a web server picks the content type by.
pub fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .filter(|ext| !ext.is_empty())
}

/// Every problem with the scenario file `name` in `dir` (shown as `rel_dir/name`).
pub fn check(dir: &Path, rel_dir: &str, name: &str) -> Vec<Diagnostic> {
    let path = format!("{rel_dir}/{name}");
    let at_start = |problem: String, fix: String| Diagnostic {
        path: path.clone(),
        line: 1,
        column: 1,
        problem,
        fix,
    };
    if let Some(c) = bidi::find_in_name(name) {
        return vec![at_start(
            format!(
                "the file name holds the invisible direction character {}",
                bidi::describe(c)
            ),
            "rename the file without it: it makes the name display in a different order from how it is written".into(),
        )];
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return vec![at_start(
            format!(
                "file name `{name}` has characters other than letters, digits, `-`, `_` and `.`"
            ),
            "rename it with only those: the name becomes part of a web address".into(),
        )];
    }
    let ext = extension(name).unwrap_or_default();
    if EXECUTABLE_EXTENSIONS.contains(&ext.as_str()) {
        return vec![at_start(
            format!("`{name}` is a kind of file a browser or web server runs as code, in the site's origin where a learner's API key is remembered"),
            "a pack may not ship it: show its content in a code block in the Markdown, or save it as .txt".into(),
        )];
    }
    let is_image = IMAGE_EXTENSIONS.contains(&ext.as_str());
    if !is_image && !TEXT_EXTENSIONS.contains(&ext.as_str()) {
        return vec![at_start(
            format!("`{name}` is not a kind of file a pack may ship"),
            format!(
                "use an image ({}) or a text file ({}); see \"What a pack may contain\" in content/README.md",
                IMAGE_EXTENSIONS.join(", "),
                TEXT_EXTENSIONS.join(", ")
            ),
        )];
    }
    let bytes = match std::fs::read(dir.join(name)) {
        Ok(b) => b,
        Err(e) => {
            return vec![at_start(
                format!("cannot read the file: {e}"),
                "make sure it is a readable file".into(),
            )]
        }
    };
    if is_image && ext != "svg" {
        return match raster_mismatch(&ext, &bytes) {
            Some(kind) => vec![at_start(
                format!("`{name}` is not a {kind} image: its content does not start like one"),
                format!("save the picture as a real {kind} file, or give it the extension of what it is"),
            )],
            None => Vec::new(),
        };
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return vec![at_start(
            format!("`{name}` is not UTF-8 text"),
            "save it with UTF-8 encoding".into(),
        )];
    };
    let file = SourceFile::new(path.clone(), text);
    let mut diags = bidi::literal(&file);
    if ext == "svg" {
        diags.extend(svg::check(&file));
    }
    diags
}

/// The format a raster image's extension promises, when its first bytes are not that format's.
fn raster_mismatch(ext: &str, bytes: &[u8]) -> Option<&'static str> {
    let (kind, ok) = match ext {
        "png" => ("PNG", bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
        "jpg" | "jpeg" => ("JPEG", bytes.starts_with(&[0xFF, 0xD8, 0xFF])),
        "gif" => (
            "GIF",
            bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        ),
        "webp" => (
            "WebP",
            bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        ),
        _ => return None,
    };
    (!ok).then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_one(name: &str, content: &[u8]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), content).unwrap();
        check(dir.path(), "s", name)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn executable_types_are_refused_whatever_their_case() {
        for name in [
            "page.html",
            "page.HTM",
            "x.xhtml",
            "x.Xml",
            "app.js",
            "app.MJS",
            "m.wasm",
            "d.svgz",
            "p.shtml",
            "x.xht",
            "index.php",
        ] {
            let p = check_one(name, b"<script>alert(1)</script>");
            assert_eq!(p.len(), 1, "{name}: {p:?}");
            assert!(
                p[0].starts_with(&format!(
                    "s/{name}:1:1: `{name}` is a kind of file a browser or web server runs as code"
                )),
                "{p:?}"
            );
        }
    }

    #[test]
    fn only_images_and_plain_text_may_ship() {
        assert!(check_one("trace.txt", b"GET / 200\n").is_empty());
        assert!(check_one("rows.CSV", b"a,b\n1,2\n").is_empty());
        assert!(check_one("p.png", b"\x89PNG\r\n\x1a\nrest").is_empty());
        assert!(check_one("p.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]).is_empty());
        assert!(check_one("p.webp", b"RIFF\0\0\0\0WEBPVP8 ").is_empty());
        assert!(check_one("noext", b"x")[0].contains("is not a kind of file a pack may ship"));
        assert!(check_one("doc.pdf", b"%PDF")[0].contains("is not a kind of file a pack may ship"));
        assert!(check_one("fake.png", b"<html><script>x</script>")[0]
            .contains("`fake.png` is not a PNG image"));
        assert!(check_one("l.log", &[0xFF, 0xFE, 0x00])[0].contains("is not UTF-8 text"));
        assert!(check_one("a b.txt", b"x")[0].contains("has characters other than"));
    }

    #[test]
    fn an_svg_is_parsed_and_checked() {
        let p = check_one(
            "d.Svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("s/d.Svg:1:41: event-handler attribute `onload`"));
    }

    #[test]
    fn bidi_controls_in_names_and_text_are_refused() {
        let p = check_one("evil\u{202E}gnp.txt", b"x");
        assert_eq!(
            p,
            ["s/evil<U+202E>gnp.txt:1:1: the file name holds the invisible direction character U+202E (RIGHT-TO-LEFT OVERRIDE) — rename the file without it: it makes the name display in a different order from how it is written"]
        );
        assert!(check_one("a\u{200F}.txt", b"x")[0].contains("U+200F (RIGHT-TO-LEFT MARK)"));
        let p = check_one("t.txt", "ok\nuser \u{2067}admin\u{2069}\n".as_bytes());
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("s/t.txt:2:6: bidirectional control character U+2067"));
    }
}
