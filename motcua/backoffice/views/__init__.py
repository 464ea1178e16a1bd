"""Back-office pages for specialists, leaders and counter officers: HTTP only (scope, validate, call, render)."""
