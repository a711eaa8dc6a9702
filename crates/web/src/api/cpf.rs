//! CPF files: one method per endpoint (issue 13, item 2).

use boussole_shared::cpf::{CpfAlert, CpfFile, CpfFileInput, CpfTransition};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, ApiResult, Req};

impl Api {
    /// The bilan's CPF file, `None` while none is entered (the API's 404).
    pub async fn cpf_file(self, bilan: Uuid) -> ApiResult<Option<CpfFile>> {
        match self
            .call(Req::new(Method::GET, format!("/bilans/{bilan}/cpf")))
            .await
        {
            Ok(file) => Ok(Some(file)),
            Err(ApiError::Problem(p)) if p.status == 404 => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn save_cpf_file(self, bilan: Uuid, input: &CpfFileInput) -> ApiResult<CpfFile> {
        self.call(Req::new(Method::PUT, format!("/bilans/{bilan}/cpf")).json(input))
            .await
    }

    pub async fn move_cpf_file(self, bilan: Uuid, req: &CpfTransition) -> ApiResult<CpfFile> {
        self.call(Req::new(Method::POST, format!("/bilans/{bilan}/cpf/transitions")).json(req))
            .await
    }

    pub async fn cpf_alerts(self) -> ApiResult<Vec<CpfAlert>> {
        self.call(Req::new(Method::GET, "/cpf/alerts")).await
    }
}
