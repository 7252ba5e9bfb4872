/**
 * The one query run per file. Every fact the analyzer needs comes from its captures, in document
 * order; children are read from the captured node only where the fact needs them.
 */
export const PYTHON_FACTS_QUERY = `
(function_definition) @function
(class_definition) @class
(lambda) @lambda
(call) @call
(if_statement) @if
(for_statement) @for
(while_statement) @while
(list_comprehension) @comprehension
(set_comprehension) @comprehension
(dictionary_comprehension) @comprehension
(generator_expression) @comprehension
(await) @await
(yield) @yield
(return_statement) @return
(binary_operator) @arith
(augmented_assignment) @arith
(import_statement) @import
(import_from_statement) @import
(assignment) @assign
(as_pattern) @alias
(typed_parameter) @typedParam
(typed_default_parameter) @typedParam
(ERROR) @error
`;
