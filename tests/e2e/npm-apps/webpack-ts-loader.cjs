// The smallest TypeScript loader for webpack: strips the types (`tsc --noEmit` checks them).
const ts = require('typescript');

module.exports = function stripTypes(source) {
  const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true };
  return ts.transpileModule(source, { compilerOptions: options, fileName: this.resourcePath }).outputText;
};
