import { readFileSync, writeFileSync } from 'node:fs'
import { README, withRouteTable } from './readme-routes.js'

// `npm run docs`: the README's route table, written anew from every module's route declarations.
writeFileSync(README, withRouteTable(readFileSync(README, 'utf8')))
