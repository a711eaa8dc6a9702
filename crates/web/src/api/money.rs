//! Money (issue 13): payers, funding lines, invoices, payments, credit notes, the accounting settings
//! and the exports. One method per endpoint.

use boussole_shared::Page;
use boussole_shared::money::{
    AccountingSettings, FecQuery, Funding, Invoice, InvoiceFilter, InvoiceList, NewCreditNote,
    NewFunding, NewInvoice, NewPayer, NewPayment, Payer, PayerFilter, Payment, PeriodQuery,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, ApiResult, Req};

/// A file the API sends (a PDF, a CSV, the FEC): its bytes and the name the server gave it.
pub struct Download {
    pub bytes: Vec<u8>,
    /// From `Content-Disposition: attachment; filename="…"`, when there is one.
    pub name: Option<String>,
}

/// `attachment; filename="X.csv"` → `X.csv`.
fn file_name(disposition: &str) -> Option<String> {
    let rest = disposition.split("filename=").nth(1)?;
    let name = rest.split(';').next()?.trim().trim_matches('"');
    (!name.is_empty()).then(|| name.to_string())
}

impl Api {
    pub async fn payers(self, page: i64, per_page: i64, f: &PayerFilter) -> ApiResult<Page<Payer>> {
        let req = Req::new(Method::GET, "/payers")
            .page(page, per_page)
            .query(f);
        self.call(req).await
    }

    pub async fn create_payer(self, body: &NewPayer) -> ApiResult<Payer> {
        self.call(Req::new(Method::POST, "/payers").json(body))
            .await
    }

    pub async fn update_payer(self, id: Uuid, body: &NewPayer) -> ApiResult<Payer> {
        self.call(Req::new(Method::PUT, format!("/payers/{id}")).json(body))
            .await
    }

    pub async fn fundings(self, bilan: Uuid) -> ApiResult<Vec<Funding>> {
        self.call(Req::new(Method::GET, format!("/bilans/{bilan}/fundings")))
            .await
    }

    /// Adds a funding line (`id` None) or replaces one.
    pub async fn save_funding(
        self,
        bilan: Uuid,
        id: Option<Uuid>,
        body: &NewFunding,
    ) -> ApiResult<Funding> {
        let req = match id {
            None => Req::new(Method::POST, format!("/bilans/{bilan}/fundings")),
            Some(f) => Req::new(Method::PUT, format!("/bilans/{bilan}/fundings/{f}")),
        };
        self.call(req.json(body)).await
    }

    pub async fn invoices(
        self,
        page: i64,
        per_page: i64,
        f: &InvoiceFilter,
    ) -> ApiResult<InvoiceList> {
        let f = InvoiceFilter {
            page: Some(page),
            per_page: Some(per_page),
            ..f.clone()
        };
        self.call(Req::new(Method::GET, "/invoices").query(&f))
            .await
    }

    pub async fn invoice(self, id: Uuid) -> ApiResult<Invoice> {
        self.call(Req::new(Method::GET, format!("/invoices/{id}")))
            .await
    }

    pub async fn issue_invoice(self, body: &NewInvoice) -> ApiResult<Invoice> {
        self.call(Req::new(Method::POST, "/invoices").json(body))
            .await
    }

    pub async fn payments(self, invoice: Uuid) -> ApiResult<Vec<Payment>> {
        self.call(Req::new(
            Method::GET,
            format!("/invoices/{invoice}/payments"),
        ))
        .await
    }

    pub async fn record_payment(self, invoice: Uuid, body: &NewPayment) -> ApiResult<Payment> {
        let req = Req::new(Method::POST, format!("/invoices/{invoice}/payments")).json(body);
        self.call(req).await
    }

    pub async fn credit_note(self, invoice: Uuid, body: &NewCreditNote) -> ApiResult<Invoice> {
        let req = Req::new(Method::POST, format!("/invoices/{invoice}/credit-notes")).json(body);
        self.call(req).await
    }

    pub async fn accounting_settings(self) -> ApiResult<AccountingSettings> {
        self.call(Req::new(Method::GET, "/settings/accounting"))
            .await
    }

    pub async fn put_accounting_settings(
        self,
        body: &AccountingSettings,
    ) -> ApiResult<AccountingSettings> {
        self.call(Req::new(Method::PUT, "/settings/accounting").json(body))
            .await
    }

    pub async fn invoice_pdf(self, id: Uuid) -> ApiResult<Download> {
        self.download(Req::new(Method::GET, format!("/invoices/{id}/pdf")))
            .await
    }

    pub async fn accounting_csv(self, period: &PeriodQuery) -> ApiResult<Download> {
        self.download(Req::new(Method::GET, "/exports/accounting.csv").query(period))
            .await
    }

    pub async fn fec(self, year: i32) -> ApiResult<Download> {
        self.download(Req::new(Method::GET, "/exports/fec").query(&FecQuery { year }))
            .await
    }

    /// A file's bytes (the request carries the session, so a plain link cannot fetch it).
    pub(super) async fn download(self, req: Req) -> ApiResult<Download> {
        let resp = self.execute(req).await?;
        let name = resp
            .headers()
            .get("content-disposition")
            .and_then(|d| file_name(&d));
        let bytes = resp
            .binary()
            .await
            .map_err(|_| ApiError::Unexpected(resp.status()))?;
        Ok(Download { bytes, name })
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn the_file_name_comes_from_the_disposition() {
        assert_eq!(
            file_name("attachment; filename=\"812345678FEC20261231.txt\"").as_deref(),
            Some("812345678FEC20261231.txt")
        );
        assert_eq!(
            file_name("attachment; filename=journal.csv; x=y").as_deref(),
            Some("journal.csv")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name("attachment; filename=\"\""), None);
    }
}
