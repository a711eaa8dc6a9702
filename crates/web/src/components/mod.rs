//! The design system: small accessible pieces that pages assemble.

mod button;
pub mod charts;
mod dialog;
mod feedback;
mod field;
mod loaded;
mod loader;
mod page;
mod ranking;
mod table;
mod toast;

pub use button::{Button, ButtonKind};
pub use dialog::Dialog;
pub use feedback::{EmptyState, FormError, Loading, StatusBadge, Tone, UploadProgress};
pub use field::{
    Checkbox, ChoiceField, DateTimeField, SelectField, TextArea, TextField, field_error,
    field_error_or_local,
};
pub use loaded::{LoadError, Loaded, Paged, action, resource};
pub use loader::{Act, Loadable, Loader, act, effect, loader};
pub use page::{Page, focus_later};
pub use ranking::Ranking;
pub use table::{Pagination, SortHeader, SortState};
pub use toast::{ToastRegion, Toasts, use_toasts};
