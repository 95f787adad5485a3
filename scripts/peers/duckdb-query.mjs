#!/usr/bin/env node
// duckdb-query.mjs: run one SQL query with DuckDB over a CSV (or TSV) file and
// print the result as CSV (header line, then rows; NULL as an empty field).
//
// usage: node duckdb-query.mjs [--threads N] [--auto-types] [--tsv] FILE SQL
//
// In SQL, the file is the view `episodes`: read_csv(FILE, header = true),
// every column VARCHAR unless --auto-types lets DuckDB sniff the types.
// --threads N sets DuckDB's worker threads (default: DuckDB's own, one per core).
// Installed by scripts/bench into scripts/peers/node_modules (npm install).
import { DuckDBInstance } from '@duckdb/node-api';

function usage(msg) {
	if (msg)
		process.stderr.write(`duckdb-query: ${msg}\n`);
	process.stderr.write('usage: node duckdb-query.mjs [--threads N] [--auto-types] [--tsv] FILE SQL\n');
	process.exit(2);
}

// Minimal RFC 4180 quoting.
function csvField(v) {
	if (v === null || v === undefined)
		return '';
	const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
	return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function sqlString(s) {
	return "'" + s.replace(/'/g, "''") + "'";
}

const args = process.argv.slice(2);
let threads = null, autoTypes = false, tsv = false;
while (args.length && args[0].startsWith('--')) {
	const a = args.shift();
	if (a === '--threads') {
		threads = Number(args.shift());
		if (!Number.isInteger(threads) || threads < 1)
			usage('--threads: a whole number >= 1 is needed');
	} else if (a === '--auto-types') {
		autoTypes = true;
	} else if (a === '--tsv') {
		tsv = true;
	} else if (a === '--help') {
		usage();
	} else {
		usage(`unknown option ${a}`);
	}
}
if (args.length !== 2)
	usage('FILE and SQL are needed');
const [file, sql] = args;

try {
	const instance = await DuckDBInstance.create(':memory:');
	const con = await instance.connect();
	if (threads)
		await con.run(`SET threads = ${threads}`);
	const opts = ['header = true'];
	if (!autoTypes)
		opts.push('all_varchar = true');
	if (tsv)
		opts.push("delim = '\\t'", "quote = ''");
	await con.run(`CREATE VIEW episodes AS SELECT * FROM read_csv(${sqlString(file)}, ${opts.join(', ')})`);
	const reader = await con.runAndReadAll(sql);
	const lines = [reader.columnNames().map(csvField).join(',')];
	for (const row of reader.getRowsJson())
		lines.push(row.map(csvField).join(','));
	process.stdout.write(lines.join('\n') + '\n');
} catch (e) {
	process.stderr.write(`duckdb-query: ${e.message}\n`);
	process.exit(1);
}
