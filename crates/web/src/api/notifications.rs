//! The notification centre: one method per endpoint the screens use (the unread count comes from the
//! live stream, `crate::live`, rather than `GET /notifications/summary`).

use boussole_shared::Page;
use boussole_shared::notifications::{
    Notification, NotificationFilter, NotificationPreferences, NotificationSummary,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req};

impl Api {
    /// Newest first; `unread`: only the unread ones.
    pub async fn notifications(
        self,
        page: i64,
        per_page: i64,
        unread: bool,
    ) -> ApiResult<Page<Notification>> {
        let f = NotificationFilter {
            unread: unread.then_some(true),
        };
        let req = Req::new(Method::GET, "/notifications")
            .page(page, per_page)
            .query(&f);
        self.call(req).await
    }

    pub async fn read_notification(self, id: Uuid) -> ApiResult<NotificationSummary> {
        self.call(Req::new(Method::POST, format!("/notifications/{id}/read")))
            .await
    }

    pub async fn read_all_notifications(self) -> ApiResult<NotificationSummary> {
        self.call(Req::new(Method::POST, "/notifications/read-all"))
            .await
    }

    pub async fn notification_preferences(self) -> ApiResult<NotificationPreferences> {
        self.call(Req::new(Method::GET, "/notifications/preferences"))
            .await
    }

    pub async fn put_notification_preferences(
        self,
        body: &NotificationPreferences,
    ) -> ApiResult<NotificationPreferences> {
        self.call(Req::new(Method::PUT, "/notifications/preferences").json(body))
            .await
    }
}
