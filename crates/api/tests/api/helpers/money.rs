//! Money: payers, funding lines, invoices, payments and quotes, typed.

use boussole_shared::money::{
    Funding, Invoice, NewAcceptance, NewDecline, NewFunding, NewInvoice, NewInvoiceLine, NewPayer,
    NewPayment, NewQuote, Payer, Payment, Quote, QuoteToInvoice,
};
use uuid::Uuid;

use super::{Answer, TestApp};

impl TestApp {
    pub async fn create_payer(&self, admin: &str, payer: &NewPayer) -> Answer<Payer> {
        self.post_as("/api/v1/payers", Some(admin), payer).await
    }

    pub async fn add_funding(
        &self,
        admin: &str,
        bilan: Uuid,
        funding: &NewFunding,
    ) -> Answer<Funding> {
        let path = format!("/api/v1/bilans/{bilan}/fundings");
        self.post_as(&path, Some(admin), funding).await
    }

    pub async fn issue_invoice(&self, admin: &str, invoice: &NewInvoice) -> Answer<Invoice> {
        self.post_as("/api/v1/invoices", Some(admin), invoice).await
    }

    pub async fn invoice(&self, token: &str, id: Uuid) -> Answer<Invoice> {
        self.get_as(&format!("/api/v1/invoices/{id}"), token).await
    }

    pub async fn record_payment(
        &self,
        admin: &str,
        invoice: Uuid,
        payment: &NewPayment,
    ) -> Answer<Payment> {
        let path = format!("/api/v1/invoices/{invoice}/payments");
        self.post_as(&path, Some(admin), payment).await
    }

    pub async fn issue_quote(&self, admin: &str, quote: &NewQuote) -> Answer<Quote> {
        self.post_as("/api/v1/quotes", Some(admin), quote).await
    }

    pub async fn quote(&self, token: &str, id: Uuid) -> Answer<Quote> {
        self.get_as(&format!("/api/v1/quotes/{id}"), token).await
    }

    pub async fn accept_quote(
        &self,
        token: &str,
        id: Uuid,
        acceptance: &NewAcceptance,
    ) -> Answer<Quote> {
        let path = format!("/api/v1/quotes/{id}/acceptance");
        self.post_as(&path, Some(token), acceptance).await
    }

    pub async fn decline_quote(&self, token: &str, id: Uuid, reason: &str) -> Answer<Quote> {
        let body = NewDecline {
            reason: reason.into(),
        };
        let path = format!("/api/v1/quotes/{id}/decline");
        self.post_as(&path, Some(token), &body).await
    }

    pub async fn invoice_quote(
        &self,
        admin: &str,
        id: Uuid,
        request: &QuoteToInvoice,
    ) -> Answer<Invoice> {
        let path = format!("/api/v1/quotes/{id}/invoice");
        self.post_as(&path, Some(admin), request).await
    }
}

/// One line of `quantity` × `unit_price_cents`.
pub fn line(description: &str, quantity: i64, unit_price_cents: i64) -> NewInvoiceLine {
    NewInvoiceLine {
        description: description.into(),
        quantity,
        unit_price_cents,
    }
}
