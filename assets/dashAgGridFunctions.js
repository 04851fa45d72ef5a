// Number and date formats of the grids, as Vietnamese officials write them (1.234.567; 45,6%; 25/11/2021),
// or in English. The values stay numbers, so sorting and filtering stay numeric.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.dqFormat = function (value, kind, lang) {
    if (value === null || value === undefined || value === "" || Number.isNaN(value)) {
        return "–";
    }
    var vi = lang !== "en";
    function num(x, digits) {
        var s = Math.abs(x).toFixed(digits);
        var parts = s.split(".");
        var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, vi ? "." : ",");
        var out = parts.length > 1 ? whole + (vi ? "," : ".") + parts[1] : whole;
        return (x < 0 ? "−" : "") + out;
    }
    switch (kind) {
        case "int": return num(Math.round(value), 0);
        case "signed": return value > 0 ? "+" + num(value, 0) : (value < 0 ? num(value, 0) : "0");
        case "dec1": return num(value, 1);
        case "dec2": return num(value, 2);
        case "pct": return num(value * 100, 1) + "%";
        case "pct0": return num(value * 100, 0) + "%";
        case "pct2": return num(value * 100, 2) + "%";
        case "date":
            var p = String(value).split("-");
            return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : String(value);
        default: return String(value);
    }
};
