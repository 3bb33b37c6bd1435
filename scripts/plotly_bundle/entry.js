// jamlik's Plotly: the core (scatter) with bar and choropleth, the only traces the portal draws.
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/choropleth')]);
module.exports = Plotly;
