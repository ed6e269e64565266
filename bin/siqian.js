#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('siqian: the build is missing (dist/cli.js). Run `npm run build` (or `npm ci`) first.\n');
  process.exit(2);
}
require(cli);
