//! Flags whose values are a closed set of names (a theme, a layout engine, an export
//! target, a render format, a direction) parse straight into the type that set belongs
//! to, through its `Choice` impl: a value is added to the type, and the command line,
//! its `--help` and its error for an unknown value follow.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use hld_model::Choice;

/// The parser of a flag whose values are `T`'s names.
pub fn choice<T: Choice + Send + Sync>() -> ChoiceParser<T> {
    ChoiceParser(PhantomData)
}

#[derive(Clone)]
pub struct ChoiceParser<T>(PhantomData<T>);

impl<T: Choice> ChoiceParser<T> {
    fn possible(&self) -> impl Iterator<Item = PossibleValue> {
        T::ALL.iter().map(|choice| {
            let value = PossibleValue::new(choice.name());
            match choice.help() {
                Some(help) => value.help(help),
                None => value,
            }
        })
    }
}

impl<T: Choice + Send + Sync> TypedValueParser for ChoiceParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // clap's own parser gives the error for a name not in the set (with a suggestion).
        let name = PossibleValuesParser::new(self.possible()).parse_ref(cmd, arg, value)?;
        Ok(T::named(&name).expect("a name the parser accepted"))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.possible()))
    }
}
