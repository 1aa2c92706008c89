//! Saving a file to the learner's computer and reading one they chose, without any server.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `contents` as a download named `name`.
pub fn download(name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&contents.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not prepare the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not prepare the file".to_string())?;
    let document = leptos::prelude::document();
    let link = document
        .create_element("a")
        .map_err(|_| "the browser could not start the download".to_string())?
        .unchecked_into::<web_sys::HtmlAnchorElement>();
    link.set_href(&url);
    link.set_download(name);
    link.set_attribute("hidden", "").ok();
    document.body().map(|b| b.append_child(&link));
    link.click();
    link.remove();
    // Revoking at once can cancel the download in some browsers; a later revoke is harmless.
    leptos::prelude::set_timeout(
        move || web_sys::Url::revoke_object_url(&url).unwrap_or(()),
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// Reads the first file chosen in a file input as text.
pub async fn read_chosen(input: &web_sys::HtmlInputElement) -> Option<Result<String, String>> {
    let file = input.files()?.get(0)?;
    let text = JsFuture::from(file.text()).await;
    Some(
        text.ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| format!("{} could not be read", file.name())),
    )
}
