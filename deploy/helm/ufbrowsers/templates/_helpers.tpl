{{- define "ufbrowsers.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ufbrowsers.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ufbrowsers.clusterId" -}}
{{- default .Release.Name .Values.orleans.clusterId -}}
{{- end -}}

{{- define "ufbrowsers.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ufbrowsers.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ufbrowsers.labels" -}}
{{ include "ufbrowsers.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "ufbrowsers.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ufbrowsers.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}
