//! Typed attribute values, and the check of a written value against its shape.

use super::keys::{Param, call, param};
use super::schema::{Schema, Shape, ValueType};
use super::units::{Dimension, UnitError, interpret};
use hld_syntax::ast::{self, Quantity, ValueKind};
use hld_syntax::diagnostics::{Diagnostic, code, did_you_mean, one_of};

/// A checked value, in base units: bytes, seconds, per second, fractions, bits per second.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Text(String),
    /// An enum value, a field name or an engine name.
    Symbol(String),
    Count(u64),
    Size(f64),
    Duration(f64),
    Rate(f64),
    /// A percentage as a fraction: `99.9%` is 0.999.
    Fraction(f64),
    Factor(f64),
    Bandwidth(f64),
    /// US dollars per month; `per_replica` when written per hour (`$0.20/h`: each
    /// replica, 720 hours a month), else for the whole (`$40k/month`).
    Money {
        per_month: f64,
        per_replica: bool,
    },
    Range(u64, u64),
    List(Vec<String>),
    /// The id of a component, resolved once every file is read.
    Component(String),
    Call(CallValue),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CallValue {
    pub name: call::Name,
    /// Arguments by parameter name, in the order the parameters are declared.
    pub args: Vec<(String, Value)>,
}

impl CallValue {
    pub fn arg(&self, param: Param) -> Option<&Value> {
        self.args
            .iter()
            .find(|(n, _)| n == param.name())
            .map(|(_, v)| v)
    }

    /// An enum argument, typed: `call.arg_value::<values::failover::Value>()` reads the
    /// `failover` argument.
    pub fn arg_value<V: crate::keys::SchemaValue>(&self) -> Option<V> {
        let param = crate::keys::Param::of_schema(V::KEY);
        self.arg(param).and_then(Value::as_str).and_then(V::parse)
    }
}

impl Value {
    /// A call written bare, by its name alone (`replication: none`, `retry: immediate`).
    pub fn bare_call(&self) -> Option<call::Name> {
        match self {
            Value::Symbol(word) => call::Name::parse(word),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) | Value::Symbol(s) | Value::Component(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_count(&self) -> Option<u64> {
        match self {
            Value::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// Any number, in its base unit.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(*n as f64),
            Value::Size(x)
            | Value::Duration(x)
            | Value::Rate(x)
            | Value::Fraction(x)
            | Value::Factor(x)
            | Value::Bandwidth(x)
            | Value::Money { per_month: x, .. } => Some(*x),
            _ => None,
        }
    }

    pub fn as_call(&self) -> Option<&CallValue> {
        match self {
            Value::Call(c) => Some(c),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }
}

type Checked = Result<Value, Box<Diagnostic>>;

/// Checks a written value against an attribute's or parameter's shape. `subject` is
/// how messages name what is being set (`` `replicas` ``, `` `vnodes` of consistent_hash ``).
pub fn check(value: &ast::Value, shape: &Shape, subject: &str) -> Checked {
    let checker = Checker {
        value,
        shape,
        subject,
    };
    checker.check()
}

struct Checker<'a> {
    value: &'a ast::Value,
    shape: &'a Shape,
    subject: &'a str,
}

impl Checker<'_> {
    fn invalid(&self, message: String, help: String) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(code::INVALID_VALUE, self.value.span, message)
                .with_label(format!("invalid {}", self.subject.trim_matches('`')))
                .with_help(help),
        )
    }

    fn written(&self) -> String {
        match &self.value.kind {
            ValueKind::Ident(word) => word.clone(),
            ValueKind::Str(text) => format!("\"{text}\""),
            ValueKind::Quantity(q) => q.to_string(),
            ValueKind::Range(low, high) => format!("{low}..{high}"),
            ValueKind::List(_) => "a list".to_string(),
            ValueKind::Call(call) => format!("{}(...)", call.name.name),
        }
    }

    fn expected(&self, what: &str) -> Box<Diagnostic> {
        self.invalid(
            format!("{} expects {what}, not `{}`", self.subject, self.written()),
            format!("write {what}"),
        )
    }

    fn check(&self) -> Checked {
        let shape = self.shape;
        match shape.value_type {
            ValueType::Bool => self.boolean(),
            ValueType::String => match &self.value.kind {
                ValueKind::Str(text) | ValueKind::Ident(text) => Ok(Value::Text(text.clone())),
                _ => Err(self.expected("a string in quotes")),
            },
            ValueType::Field | ValueType::Engine => match &self.value.kind {
                ValueKind::Str(text) | ValueKind::Ident(text) => Ok(Value::Symbol(text.clone())),
                _ => Err(self.expected("a name")),
            },
            ValueType::Component => match &self.value.kind {
                ValueKind::Ident(id) => Ok(Value::Component(id.clone())),
                _ => Err(self.expected("a component id")),
            },
            ValueType::Enum => match &self.value.kind {
                ValueKind::Ident(word) => self.symbol(word).map(Value::Symbol),
                _ => Err(self.not_one_of()),
            },
            ValueType::List => self.list(),
            ValueType::Places => self.places(),
            ValueType::Range => self.range(),
            ValueType::Count => self
                .quantity_value()
                .and_then(|(q, n)| self.count(q, n).map(Value::Count)),
            ValueType::Size => self.number().map(Value::Size),
            ValueType::Duration => self.number().map(Value::Duration),
            ValueType::Rate => self.number().map(Value::Rate),
            ValueType::Percentage => self.percentage().map(Value::Fraction),
            ValueType::Factor => self.number().map(Value::Factor),
            ValueType::Bandwidth => self.number().map(Value::Bandwidth),
            ValueType::Money => self.quantity_value().map(|(q, per_month)| Value::Money {
                per_month,
                per_replica: q.unit.ends_with("/h"),
            }),
            ValueType::Replication => self.replication(),
            ValueType::Partitioning | ValueType::Retry | ValueType::Traffic => self.call_or_none(),
            ValueType::RateLimit => match &self.value.kind {
                ValueKind::Quantity(_) => self.number().map(Value::Rate),
                _ => self.call_or_none(),
            },
        }
    }

    fn boolean(&self) -> Checked {
        match &self.value.kind {
            ValueKind::Ident(word) if word == "true" => Ok(Value::Bool(true)),
            ValueKind::Ident(word) if word == "false" => Ok(Value::Bool(false)),
            _ => Err(self.invalid(
                format!(
                    "{} is `true` or `false`, not `{}`",
                    self.subject,
                    self.written()
                ),
                "write `true` or `false`".to_string(),
            )),
        }
    }

    fn symbol(&self, word: &str) -> Result<String, Box<Diagnostic>> {
        if self.shape.values.iter().any(|v| v == word) {
            Ok(word.to_string())
        } else {
            Err(self.not_one_of_word(word))
        }
    }

    fn not_one_of(&self) -> Box<Diagnostic> {
        self.not_one_of_word(&self.written())
    }

    fn not_one_of_word(&self, word: &str) -> Box<Diagnostic> {
        let values = &self.shape.values;
        let mut help = format!("use {}", one_of(values));
        if let Some(close) = did_you_mean(word, values.iter().map(String::as_str)) {
            help = format!("did you mean `{close}`? {help}");
        }
        self.invalid(
            format!("`{word}` is not a valid value of {}", self.subject),
            help,
        )
    }

    fn list(&self) -> Checked {
        let words: Vec<&ast::Value> = match &self.value.kind {
            ValueKind::List(items) => items.iter().collect(),
            ValueKind::Ident(_) => vec![self.value],
            _ => return Err(self.expected("a list such as `[a, b]`")),
        };
        let mut items = Vec::new();
        for item in words {
            let item_checker = Checker {
                value: item,
                shape: self.shape,
                subject: self.subject,
            };
            match &item.kind {
                ValueKind::Ident(word) => items.push(item_checker.symbol(word)?),
                _ => return Err(item_checker.not_one_of()),
            }
        }
        Ok(Value::List(items))
    }

    /// Ids as written; what they name is resolved once every component exists.
    fn places(&self) -> Checked {
        let items = match &self.value.kind {
            ValueKind::List(items) => items.iter().collect(),
            ValueKind::Ident(_) => vec![self.value],
            _ => Vec::new(),
        };
        let names: Option<Vec<String>> = items
            .into_iter()
            .map(|item| match &item.kind {
                ValueKind::Ident(word) => Some(word.clone()),
                _ => None,
            })
            .collect();
        names
            .filter(|names| !names.is_empty())
            .map(Value::List)
            .ok_or_else(|| self.expected("a list of component or group ids such as `[api, eu]`"))
    }

    fn quantity_value(&self) -> Result<(&Quantity, f64), Box<Diagnostic>> {
        let dimension = self.shape.value_type.dimension().expect("a quantity type");
        let ValueKind::Quantity(quantity) = &self.value.kind else {
            return Err(self.expected(dimension.name()));
        };
        let number = self.interpret(quantity, dimension)?;
        Ok((quantity, number))
    }

    fn interpret(&self, quantity: &Quantity, dimension: Dimension) -> Result<f64, Box<Diagnostic>> {
        interpret(quantity, dimension).map_err(|error| {
            let message = match error {
                UnitError::WrongDimension(found) => format!(
                    "{} expects {}, but `{quantity}` is {}",
                    self.subject,
                    dimension.name(),
                    found.name()
                ),
                UnitError::AmbiguousMinutes => {
                    format!("`{quantity}` is ambiguous: `m` could mean minutes or months")
                }
                UnitError::Unknown => format!(
                    "`{quantity}` has a unit hld does not know: `{}`",
                    quantity.unit
                ),
            };
            let help = match error {
                UnitError::AmbiguousMinutes => "write `min` for minutes".to_string(),
                _ => format!("write {}", dimension.example()),
            };
            self.invalid(message, help)
        })
    }

    fn number(&self) -> Result<f64, Box<Diagnostic>> {
        self.quantity_value().map(|(_, n)| n)
    }

    fn count(&self, quantity: &Quantity, number: f64) -> Result<u64, Box<Diagnostic>> {
        if number.fract() != 0.0 {
            return Err(self.invalid(
                format!("{} is a whole number, not `{quantity}`", self.subject),
                "write a whole number".to_string(),
            ));
        }
        if number < 1.0 {
            return Err(self.invalid(
                format!("{} must be at least 1, not `{quantity}`", self.subject),
                "write 1 or more".to_string(),
            ));
        }
        let max = self.shape.max.unwrap_or(1e15);
        if number > max {
            return Err(self.invalid(
                format!(
                    "{} of `{quantity}` is more than hld accepts ({max})",
                    self.subject
                ),
                format!("write at most {max}"),
            ));
        }
        Ok(number as u64)
    }

    fn percentage(&self) -> Result<f64, Box<Diagnostic>> {
        let (quantity, fraction) = self.quantity_value()?;
        let max = self.shape.max.unwrap_or(100.0);
        if fraction * 100.0 > max {
            return Err(self.invalid(
                format!(
                    "{} cannot be more than {max}%, not `{quantity}`",
                    self.subject
                ),
                format!("write a percentage from 0% to {max}%"),
            ));
        }
        Ok(fraction)
    }

    fn range(&self) -> Checked {
        let ValueKind::Range(low, high) = &self.value.kind else {
            return Err(self.expected("a range such as `2..20`"));
        };
        let low_n = self.interpret(low, Dimension::Count)?;
        let high_n = self.interpret(high, Dimension::Count)?;
        let (low_n, high_n) = (self.count(low, low_n)?, self.count(high, high_n)?);
        if low_n > high_n {
            return Err(self.invalid(
                format!("{} goes from {low} down to {high}", self.subject),
                format!("write the smaller bound first: `{high}..{low}`"),
            ));
        }
        Ok(Value::Range(low_n, high_n))
    }

    fn replication(&self) -> Checked {
        match &self.value.kind {
            ValueKind::Quantity(_) => self.quantity_as(ValueType::Count),
            _ => self.call_or_none(),
        }
    }

    fn quantity_as(&self, value_type: ValueType) -> Checked {
        let shape = Shape {
            name: self.shape.name.clone(),
            value_type,
            values: Vec::new(),
            max: Some(1000.0),
            required: false,
        };
        check(self.value, &shape, self.subject)
    }

    /// A call of the type's family, or a bare call name (`none`, `hash`) when the call
    /// needs no argument.
    fn call_or_none(&self) -> Checked {
        let family = self.shape.value_type;
        let schema = Schema::get();
        let (name, args, name_span) = match &self.value.kind {
            ValueKind::Call(call) => (
                call.name.name.as_str(),
                call.args.as_slice(),
                call.name.span,
            ),
            ValueKind::Ident(word) => (word.as_str(), &[][..], self.value.span),
            _ => {
                return Err(self.expected(&format!(
                    "a {} such as {}",
                    family.call_word(),
                    self.call_examples(family)
                )));
            }
        };
        let Some(signature) = schema
            .calls_for(family)
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
        else {
            let names: Vec<&str> = schema.calls_for(family).map(|(n, _)| n).collect();
            let mut help = format!("use {}", self.call_examples(family));
            if let Some(close) = did_you_mean(name, names.iter().copied()) {
                help = format!("did you mean `{close}`? {help}");
            }
            return Err(Box::new(
                Diagnostic::error(
                    code::INVALID_VALUE,
                    name_span,
                    format!("`{name}` is not a {} scheme hld knows", family.call_word()),
                )
                .with_label(format!("unknown {}", family.call_word()))
                .with_help(help),
            ));
        };
        let call = check_arguments(name, &signature.params, args, self.value.span)?;
        check_call_constraints(&call, self.value.span)?;
        Ok(Value::Call(call))
    }

    fn call_examples(&self, family: ValueType) -> String {
        let schema = Schema::get();
        let forms: Vec<String> = schema
            .calls_for(family)
            .map(|(name, c)| {
                if c.params.is_empty() {
                    name.to_string()
                } else {
                    let params: Vec<String> =
                        c.params.iter().map(|p| format!("{}:", p.name)).collect();
                    format!("{name}({})", params.join(", "))
                }
            })
            .collect();
        let mut text = one_of(&forms);
        if family == ValueType::Replication {
            text = format!("a number of copies, {text}");
        } else if family == ValueType::RateLimit {
            text = format!("a rate (`100/s`), {text}");
        }
        text
    }
}

fn check_arguments(
    name: &str,
    params: &[Shape],
    args: &[ast::Argument],
    call_span: hld_syntax::source::Span,
) -> Result<CallValue, Box<Diagnostic>> {
    let mut values: Vec<Option<Value>> = vec![None; params.len()];
    for (position, argument) in args.iter().enumerate() {
        let index = match &argument.name {
            Some(arg_name) => params
                .iter()
                .position(|p| p.name == arg_name.name)
                .ok_or_else(|| {
                    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                    let mut help = format!("`{name}` takes {}", one_of(&names));
                    if let Some(close) = did_you_mean(&arg_name.name, names.iter().copied()) {
                        help = format!("did you mean `{close}`? {help}");
                    }
                    if names.is_empty() {
                        help = format!("write `{name}` alone");
                    }
                    Box::new(
                        Diagnostic::error(
                            code::INVALID_VALUE,
                            arg_name.span,
                            format!("`{name}` has no parameter `{}`", arg_name.name),
                        )
                        .with_label("unknown parameter")
                        .with_help(help),
                    )
                })?,
            None if position < params.len() => position,
            None => {
                return Err(Box::new(
                    Diagnostic::error(
                        code::INVALID_VALUE,
                        argument.value.span,
                        format!(
                            "`{name}` takes {} argument(s), this is one too many",
                            params.len()
                        ),
                    )
                    .with_label("extra argument")
                    .with_help("remove it, or name each argument: `name: value`"),
                ));
            }
        };
        if values[index].is_some() {
            return Err(Box::new(
                Diagnostic::error(
                    code::INVALID_VALUE,
                    argument.value.span,
                    format!("`{}` of `{name}` is given twice", params[index].name),
                )
                .with_label("given again here")
                .with_help("keep one of them"),
            ));
        }
        let subject = format!("`{}` of `{name}`", params[index].name);
        values[index] = Some(check(&argument.value, &params[index], &subject)?);
    }
    let mut checked = Vec::new();
    for (param, value) in params.iter().zip(values) {
        match value {
            Some(value) => checked.push((param.name.clone(), value)),
            None if param.required => {
                return Err(Box::new(
                    Diagnostic::error(
                        code::INVALID_VALUE,
                        call_span,
                        format!("`{name}` needs `{}`", param.name),
                    )
                    .with_label(format!("`{}` missing", param.name))
                    .with_help(format!("add `{}: ...` inside the parentheses", param.name)),
                ));
            }
            None => {}
        }
    }
    let name = call::Name::parse(name).expect("a call the schema declares");
    Ok(CallValue {
        name,
        args: checked,
    })
}

/// Constraints between arguments: a quorum cannot exceed its replica count.
fn check_call_constraints(
    call: &CallValue,
    span: hld_syntax::source::Span,
) -> Result<(), Box<Diagnostic>> {
    if call.name != call::Name::Leaderless {
        return Ok(());
    }
    let get = |p: Param| call.arg(p).and_then(Value::as_count).unwrap_or(0);
    let n = get(param::N);
    for quorum in [param::W, param::R] {
        if get(quorum) > n {
            return Err(Box::new(
                Diagnostic::error(
                    code::INVALID_VALUE,
                    span,
                    format!(
                        "`leaderless` asks {} = {} of only n = {n} copies",
                        quorum,
                        get(quorum)
                    ),
                )
                .with_label("quorum larger than the replica set")
                .with_help(format!(
                    "{quorum} counts copies that must answer: write at most {n}"
                )),
            ));
        }
    }
    Ok(())
}
