package native

// Project exposes project to the external tests.
var Project = project
