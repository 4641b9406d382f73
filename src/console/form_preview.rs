//! The preview of a form: the real lead form component of the forms bundle, in a frame.

use yew::prelude::*;

/// The page of the preview, served by `parlo-server` from `www/` (same origin as the console).
const PREVIEW_PAGE: &str = "/form-preview.html";

/// Props of [`FormPreview`].
#[derive(Properties, PartialEq)]
pub struct FormPreviewProps {
    /// The form's public view as JSON (`PublicForm`, what the public API would serve).
    pub form: AttrValue,
}

/// An `<iframe>` of [`PREVIEW_PAGE`], which loads the forms bundle (`pkg/forms/`) and shows
/// the form of the frame's `data-form` attribute with its `previewForm` (again at each change
/// of the attribute): the form as visitors see it, in its own page so the console's styles do
/// not reach it, and nothing the visitor "sends" there is sent. The console's wasm carries
/// none of the form's code.
#[component]
pub fn FormPreview(props: &FormPreviewProps) -> Html {
    html! {
        <iframe class="preview" src={PREVIEW_PAGE} title="Preview of the form"
            data-form={props.form.clone()} />
    }
}
