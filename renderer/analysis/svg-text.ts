// Text placed in the SVG markup the analyses build as strings (it is shown with innerHTML and saved
// as a file): every character with a meaning in XML is escaped.
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
