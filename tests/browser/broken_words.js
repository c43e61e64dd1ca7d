(root) => {
  // Words (two or more letters or digits) in the table cells under `root` whose glyphs lie on
  // more than one line: a word broken inside a cell. Used by tests/browser/test_reflow.py.
  const broken = [];
  const cells = document.querySelectorAll(root + ' td, ' + root + ' th');
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (node.parentElement.closest('.visually-hidden')) continue;
      const re = /[\p{L}\p{N}]{2,}/gu;
      let m;
      while ((m = re.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}
