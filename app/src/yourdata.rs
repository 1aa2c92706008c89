//! "Your data is yours": export everything, import it back, export a brag document. Shared by the
//! progress page and by the storage-full notice on a scenario page.

use crate::clock::{now, offset_minutes};
use crate::files::download;
use crate::storage::SharedRepo;
use leap_core::brag::brag_document;
use leap_core::progress::compute;
use leap_core::storage::export::{export, merge, parse, to_text, ImportReport};
use leap_core::storage::schema::Draft;
use leap_core::time::iso_date;

/// Downloads every draft, attempt and set-aside entry as one JSON file. `unsaved` is a draft still
/// only on screen (when storage is full), so it is not lost.
pub fn export_everything(
    repo: &SharedRepo,
    site: &str,
    unsaved: Option<(&str, &str, &Draft)>,
) -> Result<String, String> {
    let file = export(&mut repo.borrow_mut(), site, now(), unsaved)
        .map_err(|e| format!("Could not read your data: {e}."))?;
    let json = to_text(&file).map_err(|e| e.to_string())?;
    let name = format!("senior-leap-{}.json", iso_date(now()));
    download(&name, "application/json", &json).map_err(|e| format!("Could not export: {e}."))?;
    Ok(name)
}

/// Imports an export file's text, merging it with what is stored.
pub fn import_text(repo: &SharedRepo, text: &str) -> Result<ImportReport, String> {
    let file = parse(text).map_err(|e| e.to_string())?;
    merge(&mut repo.borrow_mut(), &file).map_err(|e| {
        format!(
            "Nothing was imported: {e}. Export and remove what you no longer need, then try again."
        )
    })
}

/// Downloads the brag document.
pub fn export_brag(repo: &SharedRepo, site: &str) -> Result<String, String> {
    let records = repo
        .borrow_mut()
        .all()
        .map_err(|e| format!("Could not read your data: {e}."))?;
    let md = brag_document(site, &records, &compute(&records), now(), offset_minutes());
    let name = format!("senior-leap-brag-{}.md", iso_date(now()));
    download(&name, "text/markdown", &md).map_err(|e| format!("Could not export: {e}."))?;
    Ok(name)
}
