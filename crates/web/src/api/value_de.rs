//! Reads a DTO out of the answer's `serde_json::Value`, as `T::deserialize(value)` does, but without
//! the array form of structs: JSON `[..]` for a struct is something the API never sends, and serde_json's
//! `Value` deserializer accepts it, which instantiates every DTO's `visit_seq` (a second reader of
//! each struct's fields) in the wasm. Refusing it drops that code; every answer the API gives reads the same.
//!
//! Its error says nothing more than "not the DTO": every caller turns a failed read into
//! `ApiError::Unexpected` or `None` without looking at it, and serde's messages ("invalid type: …,
//! expected struct Foo") kept a formatter of each DTO's name and of each mismatch in the wasm.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde_json::{Map, Value};

/// A DTO could not be read from the value; why is not kept (see the module's comment).
#[derive(Debug)]
pub struct Error;

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not the expected DTO")
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Error
    }
}

/// One JSON value to read a DTO from.
pub struct ValueDe(pub Value);

impl<'de> Deserializer<'de> for ValueDe {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            // What serde_json's `Number` does, without its error type.
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, Some(f)) => visitor.visit_f64(f),
                (None, None, None) => Err(Error),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => visitor.visit_seq(Seq(a.into_iter())),
            Value::Object(o) => visitor.visit_map(Obj::new(o)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            v => visitor.visit_some(ValueDe(v)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Structs from objects only (see the module's comment).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(o) => visitor.visit_map(Obj::new(o)),
            _ => Err(Error),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Object(o) if o.len() == 1 => match o.into_iter().next() {
                Some((variant, value)) => visitor.visit_enum(Enum { variant, value }),
                None => Err(Error),
            },
            _ => Err(Error),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier
    }
}

struct Seq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(ValueDe(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Obj {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl Obj {
    fn new(o: Map<String, Value>) -> Self {
        Obj {
            entries: o.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Obj {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(k.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(ValueDe(self.value.take().unwrap_or(Value::Null)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// `{"Variant": value}`, an enum variant with data.
struct Enum {
    variant: String,
    value: Value,
}

impl<'de> EnumAccess<'de> for Enum {
    type Error = Error;
    type Variant = ValueDe;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, ValueDe), Error> {
        let v = seed.deserialize(self.variant.into_deserializer())?;
        Ok((v, ValueDe(self.value)))
    }
}

impl<'de> VariantAccess<'de> for ValueDe {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_struct("", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Data(i64),
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Dto {
        id: u32,
        name: String,
        tags: Vec<String>,
        kind: Kind,
        other: Option<Kind>,
        #[serde(default)]
        missing: Option<f64>,
    }

    #[test]
    fn reads_what_the_api_sends_and_refuses_arrays_for_structs() {
        let v = serde_json::json!({"id": 3, "name": "é", "tags": ["a"], "kind": "plain",
            "other": {"data": -4}, "extra": [1, {"x": 2}]});
        let d = Dto::deserialize(ValueDe(v)).unwrap();
        assert_eq!(
            d,
            Dto {
                id: 3,
                name: "é".into(),
                tags: vec!["a".into()],
                kind: Kind::Plain,
                other: Some(Kind::Data(-4)),
                missing: None
            }
        );
        let arr = serde_json::json!([3, "é", [], "plain", null, null]);
        assert!(Dto::deserialize(ValueDe(arr)).is_err());
        let v = serde_json::json!({"n": 1.5, "z": null});
        let m: std::collections::BTreeMap<String, Option<f64>> =
            Deserialize::deserialize(ValueDe(v)).unwrap();
        assert_eq!(m["n"], Some(1.5));
        assert_eq!(m["z"], None);
    }
}
