//! Quotes (devis, issue 13 item 3): one method per endpoint.

use boussole_shared::money::{
    Invoice, NewAcceptance, NewDecline, NewQuote, Quote, QuoteFilter, QuoteList, QuoteToInvoice,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req, money::Download};

impl Api {
    pub async fn quotes(self, page: i64, per_page: i64, f: &QuoteFilter) -> ApiResult<QuoteList> {
        let f = QuoteFilter {
            page: Some(page),
            per_page: Some(per_page),
            ..f.clone()
        };
        self.call(Req::new(Method::GET, "/quotes").query(&f)).await
    }

    pub async fn quote(self, id: Uuid) -> ApiResult<Quote> {
        self.call(Req::new(Method::GET, format!("/quotes/{id}")))
            .await
    }

    pub async fn issue_quote(self, body: &NewQuote) -> ApiResult<Quote> {
        self.call(Req::new(Method::POST, "/quotes").json(body))
            .await
    }

    pub async fn accept_quote(self, id: Uuid, body: &NewAcceptance) -> ApiResult<Quote> {
        self.call(Req::new(Method::POST, format!("/quotes/{id}/acceptance")).json(body))
            .await
    }

    pub async fn decline_quote(self, id: Uuid, body: &NewDecline) -> ApiResult<Quote> {
        self.call(Req::new(Method::POST, format!("/quotes/{id}/decline")).json(body))
            .await
    }

    pub async fn invoice_quote(self, id: Uuid, body: &QuoteToInvoice) -> ApiResult<Invoice> {
        self.call(Req::new(Method::POST, format!("/quotes/{id}/invoice")).json(body))
            .await
    }

    pub async fn quote_pdf(self, id: Uuid) -> ApiResult<Download> {
        self.download(Req::new(Method::GET, format!("/quotes/{id}/pdf")))
            .await
    }
}
