# bash completion for nhacviec(1): its commands and options, and the channel,
# task and agency names of the configuration in use (-c, or the default).
# Installed as /usr/share/bash-completion/completions/nhacviec.

# COMPREPLY: the words of the list $1 that begin with the current word.
_nhacviec_reply()
{
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

# The names of a kind (channels, tasks, agencies, groups), as the command
# itself reads them from the config and the plan files.
_nhacviec_names()
{
	local -a opt=()

	[[ -n $conf ]] && opt=(-c "$conf")
	"$prog" "${opt[@]}" complete "$1" 2>/dev/null
}

# '*' (every channel, every dead letter), quoted for the shell.
_nhacviec_all()
{
	[[ "'*'" == "$cur"* ]] && COMPREPLY+=("'*'")
}

_nhacviec()
{
	local cur prev words cword
	_init_completion || return

	local commands="check calendar preview load import-appendix status
	    upcoming send dead log report pause resume zalo ack inbox user
	    complete help"
	local prog=${words[0]} conf="" cmd="" i
	local -a args=()

	[[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
	# The options before the command, then the command.
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-c) conf=${words[i + 1]}; ((i++)) ;;
		--clock) ((i++)) ;;
		-c*) conf=${words[i]#-c} ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done
	[[ $conf == "~/"* ]] && conf=$HOME/${conf#"~/"}
	# The command's own words so far, without its options and their values.
	for ((i++; i < cword; i++)); do
		case ${words[i]} in
		--*=*) ;;
		--channel | --channels | --agency | --task | --group | --title | \
		--from | --to | --format | --by | --year | --remind | --for | \
		--reason | --since | --until | --note | --encoding) ((i++)) ;;
		-*) ;;
		*) args+=("${words[i]}") ;;
		esac
	done

	# Option values, whichever command takes the option.
	case $prev in
	-c)
		_filedir conf
		return
		;;
	--clock | --from | --to | --year | --remind | --title | --for | \
	--reason | --since | --until | --note | --encoding)
		return
		;;
	--format)
		# report writes CSV, log and preview TSV.
		if [[ $cmd == report ]]; then
			_nhacviec_reply "text csv"
		else
			_nhacviec_reply "text tsv"
		fi
		return
		;;
	--by)
		_nhacviec_reply "channel agency task"
		return
		;;
	--channel | --channels)
		_nhacviec_reply "$(_nhacviec_names channels)"
		return
		;;
	--task)
		_nhacviec_reply "$(_nhacviec_names tasks)"
		return
		;;
	--agency)
		# send and log take a group too.
		_nhacviec_reply "$(_nhacviec_names agencies)
		    $(_nhacviec_names groups)"
		return
		;;
	--group)
		_nhacviec_reply "$(_nhacviec_names groups)"
		return
		;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_nhacviec_reply "-c --clock -h --help"
		else
			_nhacviec_reply "$commands"
		fi
		return
	fi
	case $cmd in
	check)
		[[ " ${words[*]:0:cword} " == *" --redis "* ]] ||
		    _nhacviec_reply "--redis"
		;;
	help)
		((${#args[@]} == 0)) && _nhacviec_reply "$commands"
		;;
	preview)
		_nhacviec_reply "--from --to --format"
		;;
	import-appendix)
		if [[ $cur == -* ]]; then
			_nhacviec_reply "--year --remind --channels --encoding"
		else
			_filedir tsv
		fi
		;;
	send)
		_nhacviec_reply "--agency --channel --title"
		;;
	log)
		_nhacviec_reply "--since --until --agency --task --channel
		    --format"
		;;
	report)
		_nhacviec_reply "--by --from --to --format"
		;;
	ack)
		# TASK DUE AGENCY, then its options.
		if [[ $cur == -* ]]; then
			_nhacviec_reply "--done --note"
		elif ((${#args[@]} == 0)); then
			_nhacviec_reply "$(_nhacviec_names tasks)"
		elif ((${#args[@]} == 2)); then
			_nhacviec_reply "$(_nhacviec_names agencies)"
		fi
		;;
	zalo)
		if [[ $cur == -* ]]; then
			_nhacviec_reply "--channel"
		elif ((${#args[@]} == 0)); then
			_nhacviec_reply "token"
		elif ((${#args[@]} == 1)); then
			_nhacviec_reply "set status"
		fi
		;;
	dead)
		if ((${#args[@]} == 0)); then
			_nhacviec_reply "requeue"
		elif ((${#args[@]} == 1)); then
			_nhacviec_all
		fi
		;;
	pause | resume)
		if [[ $cmd == pause && $cur == -* ]]; then
			_nhacviec_reply "--for --reason"
		elif ((${#args[@]} == 0)); then
			_nhacviec_reply "$(_nhacviec_names channels)"
			_nhacviec_all
		fi
		;;
	user)
		if ((${#args[@]} == 0)); then
			_nhacviec_reply "add remove list"
		elif [[ ${args[0]} == add && $cur == -* ]]; then
			_nhacviec_reply "--read-only"
		fi
		;;
	complete)
		((${#args[@]} == 0)) &&
		    _nhacviec_reply "channels tasks agencies groups"
		;;
	esac
} &&
complete -F _nhacviec nhacviec

# ex: filetype=sh
